package io.convoforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.convoforge.core.export.Exporter;
import io.convoforge.core.export.HfCard;
import io.convoforge.core.model.Json;
import io.convoforge.testing.Cli;
import io.convoforge.testing.SmallDatasets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code push} against a stub of the Hub on 127.0.0.1 that checks every request: the repo is
 * created as a dataset, every file is announced to preupload, Parquet files go through the LFS
 * batch, a PUT of exactly their bytes (without the token) and a verify, and one NDJSON commit
 * names them all. The token appears in no output, not even in an error that echoes it.
 */
class PushTest {
  static final String TOKEN = "hf_test_token_5ecret";
  @TempDir Path tmp;
  HttpServer server;
  final List<String> calls = new ArrayList<>();
  final Map<String, byte[]> uploaded = new ConcurrentHashMap<>();
  final List<String> problems = new ArrayList<>();
  volatile String commit;
  volatile boolean refuseCommit;

  @BeforeEach
  void start() throws IOException {
    Path env = tmp.resolve(".env");
    Files.writeString(env, "HF_TOKEN=" + TOKEN + "\n");
    System.setProperty("convoforge.dotenv", env.toString());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    System.clearProperty("convoforge.dotenv");
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private synchronized void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    String method = x.getRequestMethod();
    byte[] body = x.getRequestBody().readAllBytes();
    calls.add(method + " " + path);
    String auth = x.getRequestHeaders().getFirst("Authorization");
    boolean upload = path.startsWith("/upload/");
    if (upload ? auth != null : !("Bearer " + expectedToken()).equals(auth)) {
      problems.add("authorization of " + path + ": " + (auth == null ? "none" : "wrong"));
    }
    String reply = "{}";
    int status = 200;
    if (path.equals("/api/repos/create")) {
      JsonNode b = Json.parse(new String(body, StandardCharsets.UTF_8));
      if (!"dataset".equals(b.path("type").asText()) || !"me".equals(b.path("organization")
          .asText()) || !"crm".equals(b.path("name").asText()) || !b.path("private").asBoolean()) {
        problems.add("create: " + b);
      }
    } else if (path.equals("/api/datasets/me/crm/preupload/main")) {
      StringBuilder files = new StringBuilder();
      for (JsonNode f : Json.parse(new String(body, StandardCharsets.UTF_8)).path("files")) {
        if (!f.has("sample") || !f.has("size")) {
          problems.add("preupload entry " + f);
        }
        files.append(files.length() == 0 ? "" : ",").append(Json.write(Map.of("path",
            f.path("path").asText(), "uploadMode", f.path("path").asText().endsWith(".parquet")
                ? "lfs" : "regular", "shouldIgnore", false)));
      }
      reply = "{\"files\":[" + files + "]}";
    } else if (path.equals("/datasets/me/crm.git/info/lfs/objects/batch")) {
      JsonNode b = Json.parse(new String(body, StandardCharsets.UTF_8));
      if (!"upload".equals(b.path("operation").asText())) {
        problems.add("batch: " + b);
      }
      StringBuilder objects = new StringBuilder();
      for (JsonNode o : b.path("objects")) {
        String oid = o.path("oid").asText();
        objects.append(objects.length() == 0 ? "" : ",").append("{\"oid\":\"").append(oid)
            .append("\",\"size\":").append(o.path("size").asLong()).append(",\"actions\":{"
                + "\"upload\":{\"href\":\"").append(base()).append("/upload/").append(oid)
            .append("\",\"header\":{\"X-Upload\":\"yes\"}},\"verify\":{\"href\":\"")
            .append(base()).append("/verify\"}}}");
      }
      reply = "{\"objects\":[" + objects + "]}";
    } else if (upload) {
      String oid = path.substring("/upload/".length());
      if (!"yes".equals(x.getRequestHeaders().getFirst("X-Upload"))) {
        problems.add("upload without the action's header");
      }
      if (!oid.equals(sha(body))) {
        problems.add("uploaded bytes do not hash to " + oid);
      }
      uploaded.put(oid, body);
    } else if (path.equals("/verify")) {
      if (!uploaded.containsKey(Json.parse(new String(body, StandardCharsets.UTF_8))
          .path("oid").asText())) {
        problems.add("verify before upload");
      }
    } else if (path.equals("/api/datasets/me/crm/commit/main")) {
      commit = new String(body, StandardCharsets.UTF_8);
      if (!"application/x-ndjson".equals(x.getRequestHeaders().getFirst("Content-Type"))) {
        problems.add("commit content type");
      }
      reply = refuseCommit ? "{\"error\":\"bad token " + TOKEN + "\"}"
          : "{\"commitUrl\":\"" + base() + "/datasets/me/crm/commit/abc\"}";
      status = refuseCommit ? 401 : 200;
    } else {
      status = 404;
      problems.add("unexpected " + method + " " + path);
    }
    byte[] out = reply.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, out.length);
    x.getResponseBody().write(out);
    x.close();
  }

  static String expectedToken() {
    String env = System.getenv("HF_TOKEN");
    return env != null && !env.isBlank() ? env.trim() : TOKEN;
  }

  static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Path hfFolder() {
    Path out = tmp.resolve("hf");
    Exporter.run(new Exporter.Request(SmallDatasets.toolUse(40), Exporter.Format.HF, out,
        "train=0.8,test=0.2", false, false, null, new HfCard.Options(null, "other", "en")));
    return out;
  }

  @Test
  void pushesTheFolderInOneCommitThroughTheHubsApi() throws Exception {
    Path dir = hfFolder();
    Cli.Outcome o = Cli.run("push", dir.toString(), "--repo", "me/crm", "--private",
        "--endpoint", base());
    assertEquals(0, o.code(), o.err());
    assertEquals(List.of(), problems);
    assertEquals(List.of("POST /api/repos/create", "POST /api/datasets/me/crm/preupload/main",
        "POST /datasets/me/crm.git/info/lfs/objects/batch"), calls.subList(0, 3));
    assertEquals("POST /api/datasets/me/crm/commit/main", calls.get(calls.size() - 1));
    assertEquals(2, uploaded.size(), "both parquet files as LFS");
    String[] lines = commit.split("\n");
    assertEquals("header", Json.parse(lines[0]).path("key").asText());
    List<String> committed = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      JsonNode l = Json.parse(lines[i]);
      String p = l.path("value").path("path").asText();
      committed.add(l.path("key").asText() + " " + p);
      if (l.path("key").asText().equals("file")) {
        assertEquals(Files.readString(dir.resolve(p)), new String(java.util.Base64.getDecoder()
            .decode(l.path("value").path("content").asText()), StandardCharsets.UTF_8));
      } else {
        assertEquals(sha(Files.readAllBytes(dir.resolve(p))), l.path("value").path("oid")
            .asText());
      }
    }
    assertEquals(List.of("file README.md", "file export.json",
        "lfsFile data/test-00000-of-00001.parquet", "lfsFile data/train-00000-of-00001.parquet"),
        committed.stream().sorted().toList());
    assertTrue(o.out().contains("Pushed 4 files (2 as large files) to the dataset me/crm"));
    assertFalse(o.out().contains(TOKEN) || o.err().contains(TOKEN));
  }

  @Test
  void aRefusalIsNamedWithoutTheToken() throws Exception {
    refuseCommit = true;
    Cli.Outcome o = Cli.run("push", hfFolder().toString(), "--repo", "me/crm",
        "--private", "--endpoint", base());
    assertEquals(1, o.code());
    assertTrue(o.err().contains("could not commit: HTTP 401 (HF_TOKEN was refused"), o.err());
    assertFalse(o.out().contains(TOKEN) || o.err().contains(TOKEN), o.err());
  }

  @Test
  void badInputIsNamed() {
    Cli.Outcome o = Cli.run("push", tmp.toString(), "--repo", "nope");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--repo nope"), o.err());
  }
}
