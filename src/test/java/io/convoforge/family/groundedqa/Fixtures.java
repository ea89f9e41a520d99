package io.convoforge.family.groundedqa;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The shipped data and the test document, read once per JVM. */
final class Fixtures {
  static final LocalDate AS_OF = LocalDate.of(2026, 11, 30);
  static final Path FACTS = Path.of("data/grounded-qa/facts.md");
  static final Path PERSONAS = Path.of("data/grounded-qa/personas.yaml");
  static final Path PHRASES = Path.of("transforms/grounded-qa/converse/phrases.yaml");
  static final Path LIBRARY = Path.of("src/test/resources/groundedqa/library.md");

  private static List<Chunk> facts;
  private static List<Chunk> library;
  private static Personas personas;
  private static PhraseBank bank;

  private Fixtures() {}

  static synchronized List<Chunk> facts() {
    if (facts == null) {
      facts = FactsDocument.parse(FACTS.toString(), read(FACTS), 1200);
    }
    return facts;
  }

  static synchronized List<Chunk> library() {
    if (library == null) {
      library = FactsDocument.parse(LIBRARY.toString(), read(LIBRARY), 400);
    }
    return library;
  }

  static synchronized Personas personas() {
    if (personas == null) {
      personas = Personas.load(PERSONAS);
    }
    return personas;
  }

  static synchronized PhraseBank bank() {
    if (bank == null) {
      bank = PhraseBank.load(PHRASES);
    }
    return bank;
  }

  static List<QaPair> pairs(List<Chunk> chunks, int perChunk, long seed) {
    List<QaPair> out = new ArrayList<>();
    for (Chunk c : chunks) {
      out.addAll(OfflineQaExtractor.extract(c, perChunk, seed));
    }
    return out;
  }

  static Chunk chunkOf(List<Chunk> chunks, QaPair pair) {
    return chunks.stream().filter(c -> c.id().equals(pair.chunkId())).findFirst().orElseThrow();
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
