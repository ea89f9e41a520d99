package io.convoforge.family.scenario.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;

/**
 * The scenario-dialogue family's payload in the record envelope: what a call's stages need
 * beside its slice ({@code scenario}, {@code batch}, {@code language}, {@code prompt}) and its
 * messages: the scenario's title, and the call's place in the plan (batch index, slot in the
 * batch), from which the timeline times it.
 */
@JsonPropertyOrder({"title", "batch_index", "slot"})
public record ScenarioCall(
    String title,
    @JsonProperty("batch_index") int batchIndex,
    int slot) implements Serializable {}
