package io.convoforge.core.family;

/** One quality gate of a dataset: what was expected, what the dataset has, whether it passes. */
public record Gate(String name, String expected, String actual, boolean passed) {}
