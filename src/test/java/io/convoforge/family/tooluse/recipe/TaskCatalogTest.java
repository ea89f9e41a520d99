package io.convoforge.family.tooluse.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.input.InputException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskCatalogTest {
  private static final Set<String> TOOLS = Set.of("create_client", "get_client", "create_quote");
  private static final String HEADER = "task_id,name,description,workflow,weight\n";

  @Test
  void parsesAndNormalisesWeights() {
    Map<String, Task> t = TaskCatalog.parse("t.csv", HEADER
        + "A,a,do a,create_client>create_quote,3\nB,b,do b,get_client,1\n", TOOLS);
    assertEquals(0.75, t.get("A").weight(), 1e-9);
    assertEquals(0.25, t.get("B").weight(), 1e-9);
    assertEquals(java.util.List.of("create_client", "create_quote"), t.get("A").workflow());
  }

  @Test
  void unknownToolNamesLineColumnAndSuggests() {
    InputException e = assertThrows(InputException.class, () -> TaskCatalog.parse("t.csv",
        HEADER + "A,a,do a,create_client,1\nB,b,do b,create_clent,1\n", TOOLS));
    assertTrue(e.getMessage().contains("t.csv, line 3, column 'workflow': unknown tool "
        + "'create_clent' (did you mean 'create_client'?)"), e.getMessage());
  }

  @Test
  void negativeAndNonNumericWeightsAreNamed() {
    InputException e = assertThrows(InputException.class, () -> TaskCatalog.parse("t.csv",
        HEADER + "A,a,x,get_client,-1\nB,b,y,get_client,heavy\n", TOOLS));
    assertTrue(e.getMessage().contains("t.csv, line 2, column 'weight': expected a non-negative"
        + " number, got -1"), e.getMessage());
    assertTrue(e.getMessage().contains("line 3, column 'weight': expected a non-negative number,"
        + " got 'heavy'"), e.getMessage());
  }

  @Test
  void missingColumnAndEmptyFileAreNamed() {
    InputException missing = assertThrows(InputException.class, () -> TaskCatalog.parse("t.csv",
        "task_id,name,description,workflow\nA,a,x,get_client\n", TOOLS));
    assertTrue(missing.getMessage().contains("t.csv, line 1 (header): missing column 'weight'"),
        missing.getMessage());
    InputException empty = assertThrows(InputException.class,
        () -> TaskCatalog.parse("t.csv", "", TOOLS));
    assertTrue(empty.getMessage().contains("t.csv: the file is empty"), empty.getMessage());
  }

  @Test
  void allZeroWeightsAreRefused() {
    InputException e = assertThrows(InputException.class,
        () -> TaskCatalog.parse("t.csv", HEADER + "A,a,x,get_client,0\n", TOOLS));
    assertTrue(e.getMessage().contains("all weights are 0"), e.getMessage());
  }
}
