package io.convoforge.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.TestSupport;
import io.convoforge.schema.InputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeLoaderTest {
  @TempDir Path dir;

  @Test
  void pathsResolveAgainstTheRecipeAndOverridesAgainstTheCurrentDirectory() {
    Recipe r = RecipeLoader.load(TestSupport.CRM, List.of("turns.max=8", "seed=99",
        "tasks=src/test/resources/unseen/clinic_tasks.csv"));
    assertEquals("data/crm/tables.schema.json", r.schemaPath());
    assertEquals("src/test/resources/unseen/clinic_tasks.csv", r.tasksPath());
    assertEquals(8, r.turnsMax());
    assertEquals(5, r.turnsMin());
    assertEquals(99L, r.seed());
  }

  @Test
  void remoteEmbeddingSettingsAreRecipeKeys() {
    Recipe r = RecipeLoader.load(TestSupport.CRM, List.of("embed.provider=gemini",
        "embed.model=gemini-embedding-001", "embed.dimensions=256",
        "embed.task_type=SEMANTIC_SIMILARITY", "embed.llm={base_url: 'http://127.0.0.1:9/'}"));
    assertEquals(256, r.section("embed").get("dimensions"));
    InputException e = assertThrows(InputException.class, () -> RecipeLoader.load(
        TestSupport.CRM, List.of("embed.dimension=256")));
    assertTrue(e.getMessage().contains("dimension"), e.getMessage());
  }

  @Test
  void unknownKeyIsRefusedWithItsField() {
    Path f = TestSupport.write(dir, "r.yaml", "name: x\nschema: s.json\ntunrs: {min: 3}\n");
    InputException e = assertThrows(InputException.class,
        () -> RecipeLoader.load(f, List.of()));
    assertTrue(e.getMessage().contains("r.yaml, field"), e.getMessage());
    assertTrue(e.getMessage().contains("tunrs"), e.getMessage());
  }

  @Test
  void malformedYamlNamesTheLine() {
    Path f = TestSupport.write(dir, "r.yaml", "name: x\nschema: [unclosed\n");
    InputException e = assertThrows(InputException.class,
        () -> RecipeLoader.load(f, List.of()));
    assertTrue(e.getMessage().contains("r.yaml, line"), e.getMessage());
  }
}
