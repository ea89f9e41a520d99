package io.convoforge.core.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.TestSupport;
import io.convoforge.core.family.Families;
import io.convoforge.core.input.InputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeLoaderTest {
  @TempDir Path dir;

  private static Recipe load(Path file, String... overrides) {
    return RecipeLoader.load(file, List.of(overrides), Families::of);
  }

  @Test
  void pathsResolveAgainstTheRecipeAndOverridesAgainstTheCurrentDirectory() {
    Recipe r = load(TestSupport.CRM, "turns.max=8", "seed=99",
        "tasks=src/test/resources/unseen/clinic_tasks.csv");
    assertEquals("data/crm/tables.schema.json", r.string("schema", null));
    assertEquals("src/test/resources/unseen/clinic_tasks.csv", r.string("tasks", null));
    assertEquals(8, r.turnsMax());
    assertEquals(5, r.turnsMin());
    assertEquals(99L, r.seed());
  }

  @Test
  void aListOfPathsResolvesEachAgainstTheRecipeAndOverridesAgainstTheCurrentDirectory() {
    Path f = TestSupport.write(dir.resolve("recipes"), "r.yaml",
        "name: r\nkind: test-echo\nlines: [hi]\nfiles: [a.csv, ../data/*.csv]\n");
    Recipe r = load(f);
    assertEquals(List.of(RecipeLoader.display(dir.resolve("recipes/a.csv")),
        RecipeLoader.display(dir.resolve("data/*.csv"))), r.value("files"));
    assertEquals(List.of("x/b.csv"), load(f, "files=[x/b.csv]").value("files"));
  }

  @Test
  void remoteEmbeddingSettingsAreRecipeKeys() {
    Recipe r = load(TestSupport.CRM, "embed.provider=gemini",
        "embed.model=gemini-embedding-001", "embed.dimensions=256",
        "embed.task_type=SEMANTIC_SIMILARITY", "embed.llm={base_url: 'http://127.0.0.1:9/'}");
    assertEquals(256, r.section("embed").get("dimensions"));
    InputException e = assertThrows(InputException.class, () -> load(
        TestSupport.CRM, "embed.dimension=256"));
    assertTrue(e.getMessage().contains("dimension"), e.getMessage());
  }

  @Test
  void unknownKeyIsRefusedWithItsField() {
    Path f = TestSupport.write(dir, "r.yaml", "name: x\nschema: s.json\ntunrs: {min: 3}\n");
    InputException e = assertThrows(InputException.class,
        () -> load(f));
    assertTrue(e.getMessage().contains("r.yaml, field"), e.getMessage());
    assertTrue(e.getMessage().contains("tunrs"), e.getMessage());
  }

  @Test
  void aFamilysKeysJoinTheCoreSchemaAndAnUnknownKindIsNamed() {
    Path f = TestSupport.write(dir, "r.yaml", "name: x\nkind: no-such-family\n");
    InputException e = assertThrows(InputException.class, () -> load(f));
    assertTrue(e.getMessage().contains("unknown recipe kind 'no-such-family'"), e.getMessage());
    assertTrue(e.getMessage().contains("tool-use"), e.getMessage());
    // A key of another family is unknown to this one.
    InputException other = assertThrows(InputException.class,
        () -> load(TestSupport.CRM, "facts=x.md"));
    assertTrue(other.getMessage().contains("facts"), other.getMessage());
  }

  @Test
  void malformedYamlNamesTheLine() {
    Path f = TestSupport.write(dir, "r.yaml", "name: x\nschema: [unclosed\n");
    InputException e = assertThrows(InputException.class,
        () -> load(f));
    assertTrue(e.getMessage().contains("r.yaml, line"), e.getMessage());
  }
}
