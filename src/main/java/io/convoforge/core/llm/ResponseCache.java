package io.convoforge.core.llm;

import io.convoforge.core.model.Json;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Durable content-addressed response cache: one small JSON file per successful call (or per
 * embedded text), named by the SHA-256 of the request (provider, base URL, model, parameters,
 * messages, output schema; never the key), under any Beam {@link FileSystems} directory, so a
 * cluster can share it. Written to a
 * temporary name and renamed, so a killed run never leaves a half entry; a rerun or a retried
 * bundle reads instead of calling.
 */
final class ResponseCache {
  private final String dir;

  ResponseCache(String dir) {
    this.dir = dir.endsWith("/") ? dir : dir + "/";
  }

  /**
   * The key of one call: provider, base URL, the element (or sample) it is made for, the round
   * (0 for the first ask, 1 for the re-ask), and the request (model, parameters, messages, output
   * schema). Never the API key.
   */
  static String key(String provider, String baseUrl, String elementId, int round, LlmRequest r) {
    StringBuilder sb = new StringBuilder();
    sb.append(provider).append('\0').append(baseUrl == null ? "" : baseUrl).append('\0')
        .append(elementId).append('\0').append(r.stage()).append('\0').append(round)
        .append('\0').append(r.model()).append('\0').append(r.temperature()).append('\0')
        .append(r.topP()).append('\0').append(r.maxTokens()).append('\0').append(r.system())
        .append('\0');
    for (String m : r.messages()) {
      sb.append(m).append('\0');
    }
    sb.append(r.schemaName()).append('\0').append(r.schema());
    return Prompts.sha256(sb.toString());
  }

  /**
   * The key of one text's embedding: provider, base URL, model, dimensions, task type and the
   * text. Never the API key.
   */
  static String embeddingKey(String provider, String baseUrl, String model, Integer dimensions,
      String taskType, String text) {
    return Prompts.sha256("embedding\0" + provider + '\0' + (baseUrl == null ? "" : baseUrl)
        + '\0' + model + '\0' + dimensions + '\0' + taskType + '\0' + text);
  }

  private ResourceId resource(String key) {
    return FileSystems.matchNewResource(dir + key.substring(0, 2) + "/" + key + ".json", false);
  }

  LlmReply get(String key) {
    return get(key, LlmReply.class);
  }

  /** The entry under {@code key} read as {@code type}, or null on a miss. */
  <T> T get(String key, Class<T> type) {
    try (InputStream in = Channels.newInputStream(FileSystems.open(resource(key)))) {
      return Json.MAPPER.readValue(in.readAllBytes(), type);
    } catch (FileNotFoundException | NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      // An unreadable entry is a miss; the call is made again and the entry rewritten.
      return null;
    }
  }

  /** Writes {@code entry} (a JSON-serialisable value, never holding a secret) under the key. */
  void put(String key, Object reply) throws IOException {
    writeAtomically(dir + key.substring(0, 2) + "/" + key + ".json",
        Json.MAPPER.writeValueAsString(reply).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes {@code bytes} to {@code path} (any Beam FileSystems path) through a temporary name
   * and a rename, so a reader never sees half a file.
   */
  static void writeAtomically(String path, byte[] bytes) throws IOException {
    ResourceId target = FileSystems.matchNewResource(path, false);
    int slash = path.lastIndexOf('/');
    ResourceId tmp = FileSystems.matchNewResource(path.substring(0, slash + 1) + "."
        + path.substring(slash + 1) + "." + UUID.randomUUID() + ".tmp", false);
    ensureLocalParent(target);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(tmp, MimeTypes.TEXT))) {
      out.write(bytes);
    }
    FileSystems.rename(List.of(tmp), List.of(target));
  }

  /** The bytes at {@code path}, or null when there is no such file. */
  static byte[] read(String path) throws IOException {
    try (InputStream in = Channels.newInputStream(
        FileSystems.open(FileSystems.matchNewResource(path, false)))) {
      return in.readAllBytes();
    } catch (FileNotFoundException | NoSuchFileException e) {
      return null;
    }
  }

  private static void ensureLocalParent(ResourceId target) throws IOException {
    if ("file".equals(target.getScheme())) {
      java.nio.file.Files.createDirectories(java.nio.file.Path.of(
          target.getCurrentDirectory().toString().replaceFirst("^file:", "")));
    }
  }
}
