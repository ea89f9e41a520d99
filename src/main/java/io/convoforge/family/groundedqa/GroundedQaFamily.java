package io.convoforge.family.groundedqa;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.family.ExportProfile;
import io.convoforge.core.family.FamilyRun;
import io.convoforge.core.family.RecipeFamily;
import io.convoforge.core.input.InputException;
import io.convoforge.core.input.InputFiles;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.recipe.Recipe;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The grounded Q&A family ({@code kind: grounded-qa}): support dialogues in which customers ask
 * about a facts document and the assistant answers only what the document supports. Recipe keys
 * ({@code schemas/recipe-grounded-qa.schema.json}): {@code facts}, {@code personas}, {@code
 * phrases} (paths), {@code as_of} (default: the day the run starts), {@code chunking.max_chars},
 * {@code max_chunks}, {@code qa_per_chunk}, {@code conversations_per_qa}. Stages: {@code chunk}
 * (the source), {@code extract_qa}, {@code validate_qa}, {@code converse}, then the core {@code
 * judge}, {@code filter}, {@code embed}, {@code dedup}, {@code select}; prompts in {@code
 * transforms/grounded-qa/}.
 */
public final class GroundedQaFamily implements RecipeFamily {
  static final List<String> PROMPTS = List.of("extract_qa", "converse", "judge");

  @Override
  public String kind() {
    return GroundedQaCodec.KIND;
  }

  @Override
  public JsonNode recipeSchema() {
    return InputFiles.resourceJson("/schemas/recipe-grounded-qa.schema.json");
  }

  @Override
  public Set<String> pathKeys() {
    return Set.of("facts", "personas", "phrases");
  }

  @Override
  public Map<String, Object> defaults() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("stages", List.of("chunk", "extract_qa", "validate_qa", "converse", "judge", "filter",
        "embed", "dedup", "select"));
    d.put("turns", Map.of("min", 4, "max", 8));
    d.put("chunking", Map.of("max_chars", 1200));
    d.put("qa_per_chunk", 3);
    d.put("conversations_per_qa", 3);
    d.put("select", Map.of("k", 1000, "per", "overall"));
    return d;
  }

  @Override
  public FamilyRun prepare(Recipe recipe, Integer count) {
    Path facts = Path.of(recipe.string("facts", null));
    int maxChars = (int) recipe.number("chunking", "max_chars", 1200);
    List<Chunk> chunks = FactsDocument.parse(facts.toString(), InputFiles.read(facts), maxChars);
    Object maxChunks = recipe.value("max_chunks");
    if (maxChunks instanceof Number n && n.intValue() < chunks.size()) {
      chunks = chunks.subList(0, n.intValue());
    }
    String personasPath = recipe.string("personas", null);
    Personas personas = Personas.load(Path.of(personasPath));
    String phrasesPath = recipe.string("phrases", null);
    PhraseBank phrases = phrasesPath == null ? PhraseBank.loadDefault()
        : PhraseBank.load(Path.of(phrasesPath));
    LocalDate asOf = asOf(recipe);
    Prompts prompts = Prompts.load(Prompts.dirOf(recipe.section("llm")), kind(), PROMPTS,
        List.of("judge"));
    String fingerprint = String.join("\n", InputFiles.read(facts),
        InputFiles.read(Path.of(personasPath)),
        phrasesPath == null ? "" : InputFiles.read(Path.of(phrasesPath)), asOf.toString(),
        String.valueOf(chunks.size()));
    return new GroundedQaRun(this, recipe, facts.toString(), chunks, personas, phrases, asOf,
        prompts, fingerprint);
  }

  /** {@code as_of}: an ISO date; without one, the day the run starts. */
  static LocalDate asOf(Recipe recipe) {
    String v = recipe.string("as_of", null);
    if (v == null) {
      return LocalDate.now();
    }
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new InputException(recipe.file(), "field as_of", "expected an ISO date such as"
          + " 2026-11-30, got '" + v + "'");
    }
  }

  @Override
  public RecordCodec codec() {
    return new GroundedQaCodec();
  }

  @Override
  public ExportProfile exportProfile(Recipe recipe) {
    return new GroundedQaExport(recipe == null ? null : recipe.string("facts", null),
        recipe == null ? null : recipe.string("as_of", null));
  }

  @Override
  public List<String> trialOverrides() {
    // About 30 pairs: the first ten chunks, three pairs each.
    return List.of("max_chunks=10", "qa_per_chunk=3");
  }
}
