package io.convoforge.family.groundedqa;

import java.util.Objects;

/**
 * One piece of a facts document, as {@link FactsDocument#parse} cuts it: the text under one
 * heading (or part of it), never cut mid-sentence.
 *
 * @param id deterministic from the text and position: {@code c-<8 hex of sha256(text)>-<index>}
 * @param index position of the chunk in its document, from 0
 * @param heading the nearest heading with its parents, joined by {@code " > "}
 * @param text the chunk's markdown; prose paragraphs are unwrapped to one line, lists, tables and
 *     code keep their lines, blocks are separated by a blank line
 */
public record Chunk(String id, int index, String heading, String text) {
  public Chunk {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(heading, "heading");
    Objects.requireNonNull(text, "text");
  }

  /**
   * What the chunk is about, for questions: the last part of {@link #heading} ("Returns" in "Help
   * > Returns"), or the section above it when that part is vague ("Events" for "Events > Past").
   */
  public String topic() {
    return Text.topic(heading);
  }
}
