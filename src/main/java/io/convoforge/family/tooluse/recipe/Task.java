package io.convoforge.family.tooluse.recipe;

import java.io.Serializable;
import java.util.List;

/** One row of the tasks CSV; {@code weight} is normalised so all weights sum to 1. */
public record Task(
    String id, String name, String description, List<String> workflow, double weight)
    implements Serializable {}
