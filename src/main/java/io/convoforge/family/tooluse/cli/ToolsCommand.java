package io.convoforge.family.tooluse.cli;

import io.convoforge.core.model.Json;
import io.convoforge.family.tooluse.schema.SchemaLoader;
import io.convoforge.family.tooluse.schema.Tools;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code convoforge tools SCHEMA.json}: the derived tools in OpenAI's tools format. */
@Command(
    name = "tools",
    mixinStandardHelpOptions = true,
    description = "Prints the tools derived from a tables schema in OpenAI's tools format.")
public final class ToolsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SCHEMA.json")
  Path schema;

  @Override
  public Integer call() throws Exception {
    System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter()
        .writeValueAsString(Tools.openAiFormat(Tools.derive(SchemaLoader.load(schema))
            .values())));
    return 0;
  }
}
