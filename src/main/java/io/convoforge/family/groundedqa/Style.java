package io.convoforge.family.groundedqa;

import java.io.Serializable;
import java.util.Objects;

/**
 * A way of writing (formal, casual...). The {@code id} selects the phrase-bank entries of the
 * offline writer; the {@code description} is what an LLM writer is told.
 */
public record Style(String id, String description) implements Serializable {
  public Style {
    Objects.requireNonNull(id, "id");
    description = description == null ? "" : description;
  }
}
