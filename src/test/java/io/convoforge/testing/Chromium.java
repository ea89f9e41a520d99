package io.convoforge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convoforge.core.model.Json;
import io.convoforge.core.run.OutputDir;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium driven over the Chrome DevTools Protocol (a WebSocket to the page target,
 * with the JDK's {@link WebSocket}): navigate, evaluate expressions, collect console errors and
 * uncaught exceptions, take screenshots. Debian's {@code chromium} (or {@code $CHROMIUM}); a
 * fresh profile directory per instance, removed on close. Only loopback is used.
 */
public final class Chromium implements AutoCloseable {
  static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
      "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--remote-allow-origins=*",
      "--remote-debugging-port=0", "--window-size=1400,1000");

  private final Process process;
  private final Path profile;
  private final WebSocket ws;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new ArrayList<>();

  /** The browser binary, or null when none is installed. */
  public static String binary() {
    String env = System.getenv("CHROMIUM");
    if (env != null && new File(env).canExecute()) {
      return env;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        File f = new File(dir, name);
        if (f.canExecute()) {
          return f.getPath();
        }
      }
    }
    return null;
  }

  public static Chromium launch() throws Exception {
    return new Chromium(binary());
  }

  private Chromium(String binary) throws Exception {
    profile = Files.createTempDirectory("chromium-profile");
    List<String> cmd = new ArrayList<>();
    cmd.add(binary);
    cmd.addAll(FLAGS);
    cmd.add("--user-data-dir=" + profile);
    cmd.add("about:blank");
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile()).start();
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        close();
        throw new IllegalStateException("chromium did not open its DevTools port");
      }
      Thread.sleep(50);
    }
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
    HttpClient http = HttpClient.newHttpClient();
    String pageWs = null;
    while (pageWs == null) {
      JsonNode targets = Json.parse(http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      for (JsonNode t : targets) {
        if ("page".equals(t.path("type").asText())) {
          pageWs = t.path("webSocketDebuggerUrl").asText();
        }
      }
      if (pageWs == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("chromium has no page target");
        }
        Thread.sleep(50);
      }
    }
    ws = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new Listener()).get(20,
        TimeUnit.SECONDS);
    call("Runtime.enable", Map.of());
    call("Log.enable", Map.of());
    call("Page.enable", Map.of());
  }

  /** Sends a command and waits for its result; a protocol error throws. */
  public JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    ObjectNode msg = Json.MAPPER.createObjectNode();
    msg.put("id", id);
    msg.put("method", method);
    msg.set("params", Json.tree(params));
    ws.sendText(Json.write(msg), true).get(20, TimeUnit.SECONDS);
    JsonNode r = f.get(60, TimeUnit.SECONDS);
    if (r.has("error")) {
      throw new IllegalStateException(method + ": " + r.get("error"));
    }
    return r.path("result");
  }

  /** Loads a URL and waits for its load event. */
  public void navigate(String url) throws Exception {
    int before = eventCount("Page.loadEventFired");
    call("Page.navigate", Map.of("url", url));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (eventCount("Page.loadEventFired") == before) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no load event for " + url);
      }
      Thread.sleep(20);
    }
  }

  /** The value of a JavaScript expression (returned by value); an exception in it throws. */
  public JsonNode eval(String expression) throws Exception {
    JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
        "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException("exception in " + expression + ": "
          + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Console errors, uncaught exceptions and error log entries so far (CSP violations too). */
  public synchronized List<String> errors() {
    List<String> out = new ArrayList<>();
    for (JsonNode e : events) {
      String m = e.path("method").asText();
      JsonNode p = e.path("params");
      if ("Runtime.exceptionThrown".equals(m)) {
        out.add("exception: " + p.path("exceptionDetails"));
      } else if ("Runtime.consoleAPICalled".equals(m)
          && ("error".equals(p.path("type").asText()) || "assert".equals(p.path("type")
              .asText()))) {
        out.add("console." + p.path("type").asText() + ": " + p.path("args"));
      } else if ("Log.entryAdded".equals(m)
          && "error".equals(p.path("entry").path("level").asText())) {
        out.add("log: " + p.path("entry").path("text").asText());
      }
    }
    return out;
  }

  /** A PNG of the whole page, written to {@code file}. */
  public void screenshot(Path file) throws Exception {
    JsonNode r = call("Page.captureScreenshot", Map.of("format", "png",
        "captureBeyondViewport", true));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
  }

  private synchronized int eventCount(String method) {
    return (int) events.stream().filter(e -> method.equals(e.path("method").asText())).count();
  }

  private synchronized void event(JsonNode e) {
    events.add(e);
  }

  @Override
  public void close() {
    if (ws != null) {
      ws.abort();
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    OutputDir.delete(profile);
    try {
      Files.deleteIfExists(profile.resolveSibling(profile.getFileName() + ".log"));
    } catch (IOException ignored) {
      // a log left in the temp directory harms nothing
    }
  }

  /** Collects text frames into messages: results complete their call, the rest are events. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder buf = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
      buf.append(data);
      if (last) {
        JsonNode msg = Json.parse(buf.toString());
        buf.setLength(0);
        if (msg.has("id")) {
          CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
          if (f != null) {
            f.complete(msg);
          }
        } else {
          event(msg);
        }
      }
      w.request(1);
      return null;
    }
  }
}
