package io.convoforge.core.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Uploads a folder to a Hugging Face dataset repository through the Hub's HTTP API, the subset
 * {@code huggingface_hub}'s {@code upload_folder} uses: create the repo ({@code POST
 * /api/repos/create}; 409, it exists, is fine), ask how each file goes ({@code POST
 * /api/datasets/R/preupload/main} with path, size and a base64 sample of the first 512 bytes),
 * upload the LFS ones ({@code POST /datasets/R.git/info/lfs/objects/batch}, then a {@code PUT}
 * to each upload action's href with its headers, then its verify action), and commit
 * everything in one commit ({@code POST /api/datasets/R/commit/main}, NDJSON: a header, then
 * {@code file} lines with base64 content for regular files and {@code lfsFile} lines with the
 * sha256 oid and size). Multipart LFS transfers and Xet storage are not supported: a batch
 * answer asking for them fails with a clear error. The token is sent only in the {@code
 * Authorization} header and never appears in messages or errors.
 */
public final class HubClient {
  /** An HTTP failure of the Hub, with the step that failed; never carries the token. */
  public static final class HubException extends RuntimeException {
    public HubException(String message) {
      super(message);
    }
  }

  private final String endpoint;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(30)).build();

  public HubClient(String endpoint, String token) {
    this.endpoint = endpoint.replaceAll("/+$", "");
    this.token = token;
  }

  /** What was uploaded: the commit's URL (if the Hub gave one) and the files by mode. */
  public record Pushed(String commitUrl, List<String> regular, List<String> lfs) {}

  /** Creates the dataset repo {@code repo} (OWNER/NAME) if needed and commits {@code dir}. */
  public Pushed push(Path dir, String repo, boolean isPrivate, String message)
      throws IOException, InterruptedException {
    String[] on = repo.split("/", 2);
    Map<String, Object> create = new LinkedHashMap<>();
    create.put("name", on[1]);
    create.put("organization", on[0]);
    create.put("private", isPrivate);
    create.put("type", "dataset");
    HttpResponse<String> r = send("create the repository", post(endpoint + "/api/repos/create",
        "application/json", Json.write(create)), 409);
    List<Path> files = files(dir);
    List<Map<String, Object>> pre = new ArrayList<>();
    Map<String, String> sha = new LinkedHashMap<>();
    for (Path f : files) {
      String path = dir.relativize(f).toString().replace('\\', '/');
      sha.put(path, sha256(f));
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("path", path);
      e.put("size", Files.size(f));
      e.put("sample", Base64.getEncoder().encodeToString(head(f)));
      pre.add(e);
    }
    r = send("ask how to upload the files", post(endpoint + "/api/datasets/" + repo
        + "/preupload/main", "application/json", Json.write(Map.of("files", pre))), -1);
    Map<String, String> mode = new LinkedHashMap<>();
    for (JsonNode f : Json.parse(r.body()).path("files")) {
      mode.put(f.path("path").asText(), f.path("uploadMode").asText("regular"));
    }
    List<String> regular = new ArrayList<>();
    List<String> lfs = new ArrayList<>();
    for (Path f : files) {
      String path = dir.relativize(f).toString().replace('\\', '/');
      ("lfs".equals(mode.get(path)) && Files.size(f) > 0 ? lfs : regular).add(path);
    }
    if (!lfs.isEmpty()) {
      uploadLfs(dir, repo, lfs, sha);
    }
    StringBuilder nd = new StringBuilder();
    nd.append(Json.write(Map.of("key", "header", "value", Map.of("summary", message,
        "description", "Uploaded by convoforge push.")))).append('\n');
    for (String path : regular) {
      nd.append(Json.write(Map.of("key", "file", "value", Map.of("path", path, "encoding",
          "base64", "content", Base64.getEncoder().encodeToString(Files.readAllBytes(
              dir.resolve(path))))))).append('\n');
    }
    for (String path : lfs) {
      nd.append(Json.write(Map.of("key", "lfsFile", "value", Map.of("path", path, "algo",
          "sha256", "oid", sha.get(path), "size", Files.size(dir.resolve(path)))))).append('\n');
    }
    r = send("commit", post(endpoint + "/api/datasets/" + repo + "/commit/main",
        "application/x-ndjson", nd.toString()), -1);
    JsonNode done = Json.parse(r.body().isBlank() ? "{}" : r.body());
    return new Pushed(done.path("commitUrl").asText(null), regular, lfs);
  }

  private void uploadLfs(Path dir, String repo, List<String> paths, Map<String, String> sha)
      throws IOException, InterruptedException {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (String p : paths) {
      objects.add(Map.of("oid", sha.get(p), "size", Files.size(dir.resolve(p))));
    }
    Map<String, Object> batch = new LinkedHashMap<>();
    batch.put("operation", "upload");
    batch.put("transfers", List.of("basic"));
    batch.put("objects", objects);
    batch.put("hash_algo", "sha256");
    HttpRequest.Builder b = post(endpoint + "/datasets/" + repo + ".git/info/lfs/objects/batch",
        "application/vnd.git-lfs+json", Json.write(batch)).header("Accept",
        "application/vnd.git-lfs+json");
    JsonNode answer = Json.parse(send("ask where to upload the large files", b, -1).body());
    Map<String, String> pathOf = new LinkedHashMap<>();
    paths.forEach(p -> pathOf.put(sha.get(p), p));
    for (JsonNode o : answer.path("objects")) {
      String path = pathOf.get(o.path("oid").asText());
      if (o.has("error")) {
        throw new HubException("the Hub refused " + path + ": " + o.path("error")
            .path("message").asText());
      }
      JsonNode upload = o.path("actions").path("upload");
      if (upload.isMissingNode()) {
        continue; // already on the Hub
      }
      if (upload.path("header").has("chunk_size")) {
        throw new HubException("the Hub asked for a multipart upload of " + path
            + ", which convoforge push does not do; upload it with huggingface-cli");
      }
      HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.path("href").asText()))
          .timeout(Duration.ofMinutes(30))
          .PUT(HttpRequest.BodyPublishers.ofFile(dir.resolve(path)));
      upload.path("header").fields().forEachRemaining(h -> put.header(h.getKey(),
          h.getValue().asText()));
      sendRaw("upload " + path, put.build(), -1);
      JsonNode verify = o.path("actions").path("verify");
      if (!verify.isMissingNode()) {
        HttpRequest.Builder v = post(verify.path("href").asText(), "application/vnd.git-lfs+json",
            Json.write(Map.of("oid", o.path("oid").asText(), "size", o.path("size").asLong())));
        verify.path("header").fields().forEachRemaining(h -> v.header(h.getKey(),
            h.getValue().asText()));
        send("verify " + path, v, -1);
      }
    }
  }

  private HttpRequest.Builder post(String url, String type, String body) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5))
        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /** Sends with the token; a status other than 2xx (or {@code alsoOk}) fails, named. */
  private HttpResponse<String> send(String step, HttpRequest.Builder b, int alsoOk)
      throws IOException, InterruptedException {
    return sendRaw(step, b.header("Authorization", "Bearer " + token)
        .header("User-Agent", "convoforge").build(), alsoOk);
  }

  private HttpResponse<String> sendRaw(String step, HttpRequest req, int alsoOk)
      throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    int s = r.statusCode();
    if ((s / 100 != 2) && s != alsoOk) {
      String why = s == 401 ? " (HF_TOKEN was refused: is it valid, with write access?)"
          : s == 403 ? " (HF_TOKEN may not write to this repository)" : "";
      String body = r.body() == null ? "" : r.body().replace(token, "***");
      throw new HubException("could not " + step + ": HTTP " + s + why
          + (body.isBlank() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) : body)));
    }
    return r;
  }

  /**
   * The files of an export folder to upload: not hidden files, not the commit marker
   * ({@link io.convoforge.core.run.OutputDir#SUCCESS}, which says the folder is complete and is
   * no part of the dataset).
   */
  static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> dir.relativize(p).toString().chars().noneMatch(c -> c == '\\')
              && !dir.relativize(p).getFileName().toString().startsWith(".")
              && !dir.relativize(p).toString().equals(io.convoforge.core.run.OutputDir.SUCCESS))
          .sorted().toList();
    }
  }

  static String sha256(Path f) throws IOException {
    try (InputStream in = Files.newInputStream(f)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] head(Path f) throws IOException {
    try (InputStream in = Files.newInputStream(f)) {
      return in.readNBytes(512);
    }
  }
}
