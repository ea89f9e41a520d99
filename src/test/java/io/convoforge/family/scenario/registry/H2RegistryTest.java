package io.convoforge.family.scenario.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The registry contract on the default database: an H2 file with AUTO_SERVER. */
class H2RegistryTest extends RegistryContract {
  @Override
  String freshUrl() throws Exception {
    return Registry.defaultUrl(Files.createTempDirectory(root, "registry"));
  }

  @Test
  void defaultUrlIsAnH2FileSharedByProcesses() {
    String url = Registry.defaultUrl(Path.of("/data/x"));
    assertEquals("jdbc:h2:file:/data/x/registry;AUTO_SERVER=TRUE;LOCK_TIMEOUT=20000", url);
    assertTrue(registry.url().startsWith("jdbc:h2:file:"));
  }
}
