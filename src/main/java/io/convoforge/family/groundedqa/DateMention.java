package io.convoforge.family.groundedqa;

import java.time.LocalDate;

/**
 * A date found in text by {@link DateMentions}: the matched words and the earliest day they can
 * mean (the first day of a month, quarter, half, season or year).
 */
public record DateMention(String text, LocalDate earliest) {}
