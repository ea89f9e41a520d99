package io.convoforge.family.tooluse.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;

/**
 * A tool derived from a table: {@code action} is one of create, get, search, update, delete;
 * {@code parameters} is the JSON Schema of its arguments (what OpenAI's function calling takes).
 */
public record ToolSpec(
    String name, String action, String table, String description, ObjectNode parameters)
    implements Serializable {}
