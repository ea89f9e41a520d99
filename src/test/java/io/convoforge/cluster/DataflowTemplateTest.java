package io.convoforge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.TestSupport;
import io.convoforge.cli.Main;
import io.convoforge.core.model.Json;
import io.convoforge.core.run.ConvoforgePipeline;
import io.convoforge.core.run.Inputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline proof of Dataflow submission: the CRM recipe, LLM-backed, through {@code
 * conf/dataflow.yaml} with {@code --templateLocation} writes the Dataflow job specification and
 * stages the job's files without contacting Google (no credentials: Beam's no-op credential
 * factory and path validator, local temp and staging folders). The specification holds every
 * stage of the recipe, and neither it nor any staged file holds the API key the workers would
 * read from {@code .env}; nothing ran and no dataset was written.
 */
class DataflowTemplateTest {
  static final String SECRET = "sk-fake-do-not-leak-7f3a91c2";

  @TempDir Path tmp;

  @AfterEach
  void forgetDotenv() {
    System.clearProperty("convoforge.dotenv");
  }

  @Test
  void theJobSpecificationHoldsEveryStageAndNoSecret() throws IOException {
    Path env = TestSupport.write(tmp, ".env", "OPENAI_API_KEY=" + SECRET + "\n");
    System.setProperty("convoforge.dotenv", env.toString());
    // A small stand-in for the bundled jar (built only by -Pdist/-Pcluster): staging copies it.
    Path jar = TestSupport.write(tmp, "job.jar", "not a real jar");
    Path spec = tmp.resolve("template/job.json");
    Path staging = tmp.resolve("staging");
    Path out = tmp.resolve("out");

    assertEquals(0, Main.execute("run", TestSupport.CRM.toString(), "--count", "20",
        "--backend", "openai", "--base-url", "http://127.0.0.1:9/v1", "--out", out.toString(),
        "--conf", "conf/dataflow.yaml", "--project=offline-proof",
        "--templateLocation=" + spec, "--tempLocation=" + tmp.resolve("temp"),
        "--gcpTempLocation=" + tmp.resolve("temp"), "--stagingLocation=" + staging,
        "--filesToStage=" + jar,
        "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory",
        "--pathValidatorClass=org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator"));

    JsonNode job = Json.MAPPER.readTree(Files.readString(spec));
    Set<String> steps = new HashSet<>();
    for (JsonNode s : job.path("steps")) {
      steps.add(s.path("properties").path("user_name").path("value").asText());
    }
    Inputs in = TestSupport.inputs(TestSupport.CRM, 20, "llm.backend=openai");
    Map<String, String> stageOf = ConvoforgePipeline.build(Pipeline.create(), in, 1)
        .stageOfTransform();
    for (String stage : in.recipe().stages()) {
      List<String> transforms = stageOf.entrySet().stream()
          .filter(e -> e.getValue().equals(stage)).map(Map.Entry::getKey).toList();
      assertFalse(transforms.isEmpty(), "a transform for stage " + stage);
      for (String t : transforms) {
        assertTrue(steps.stream().anyMatch(s -> s.equals(t) || s.startsWith(t + "/")),
            "stage " + stage + " (" + t + ") is in the job specification");
      }
    }
    assertEquals("n2-standard-4", job.path("environment").path("sdkPipelineOptions")
        .path("options").path("workerMachineType").asText(), "the profile's worker type");

    assertFalse(Files.readString(spec).contains(SECRET), "no secret in the specification");
    try (Stream<Path> files = Files.walk(tmp)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.equals(env)).toList()) {
        assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)
            .contains(SECRET), "no secret in " + f);
      }
    }
    assertTrue(Files.list(staging).anyMatch(f -> f.getFileName().toString().startsWith("job")),
        "the profile's files were staged");
    assertFalse(Files.exists(out), "nothing ran, no dataset");
  }
}
