package io.convoforge.family.groundedqa;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.LocalDate;

/**
 * A date found in text by {@link DateMentions}: the matched words and the earliest day they can
 * mean (the first day of a month, quarter, half, season or year). In JSON the day is ISO text
 * ({@code "2027-04-01"}), so the project mapper needs no java.time module.
 */
public record DateMention(
    String text, @JsonSerialize(using = ToStringSerializer.class) LocalDate earliest) {

  @JsonCreator
  static DateMention fromJson(
      @JsonProperty("text") String text, @JsonProperty("earliest") String earliest) {
    return new DateMention(text, earliest == null ? null : LocalDate.parse(earliest));
  }
}
