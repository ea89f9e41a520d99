package io.convoforge.family.groundedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DateMentionsTest {
  private static DateMention only(String text) {
    List<DateMention> found = DateMentions.find(text);
    assertEquals(1, found.size(), text + " -> " + found);
    return found.get(0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "Prices change on 2027-03-14. | 2027-03-14 | 2027-03-14",
      "Effective 2027/03/14 for all. | 2027/03/14 | 2027-03-14",
      "Planned for 2027-03. | 2027-03 | 2027-03-01",
      "On 14 March 2027 we open. | 14 March 2027 | 2027-03-14",
      "On the 14th of Mar 2027 we open. | 14th of Mar 2027 | 2027-03-14",
      "On March 14, 2027 we open. | March 14, 2027 | 2027-03-14",
      "From 14–16 March 2027 we meet. | 14–16 March 2027 | 2027-03-14",
      "From March 14-16, 2027 we meet. | March 14-16, 2027 | 2027-03-14",
      "Arriving March 2027. | March 2027 | 2027-03-01",
      "Arriving Mar. 2027. | Mar. 2027 | 2027-03-01",
      "Arriving Sept 2027. | Sept 2027 | 2027-09-01",
      "Open March–May 2027. | March–May 2027 | 2027-03-01",
      "Open November–February 2027. | November–February 2027 | 2026-11-01",
      "Launch in Q2 2027. | Q2 2027 | 2027-04-01",
      "Launch in 2027 Q4. | 2027 Q4 | 2027-10-01",
      "Launch in H2 2027. | H2 2027 | 2027-07-01",
      "Launch in the second half of 2027. | second half of 2027 | 2027-07-01",
      "Launch in spring 2027. | spring 2027 | 2027-03-01",
      "Launch in Winter 2027. | Winter 2027 | 2026-12-01",
      "Launch in late 2027. | late 2027 | 2027-09-01",
      "Launch by the end of 2027. | the end of 2027 | 2027-12-01",
      "Prices rise in 2028. | in 2028 | 2028-01-01",
      "Done by 2028, we hope. | by 2028 | 2028-01-01",
      "Closed during 2028 for works. | during 2028 | 2028-01-01",
      "Available from 2028 onwards. | from 2028 | 2028-01-01",
      "Only after 2028. | after 2028 | 2029-01-01",
      "Budget for FY2027 is set. | FY2027 | 2027-01-01",
      "Tickets for the 2028 season. | 2028 season | 2028-01-01",
      "Valid 2026–2027 only. | 2026–2027 | 2026-01-01",
      "The 2026-27 catalogue. | 2026-27 | 2026-01-01",
      "Back in the 2030s. | the 2030s | 2030-01-01"})
  void eachFormHasItsEarliestDay(String text, String mention, String earliest) {
    DateMention m = only(text);
    assertEquals(mention, m.text());
    assertEquals(LocalDate.parse(earliest), m.earliest());
  }

  @Test
  void numericDatesTakeTheEarlierReadingWhenDayAndMonthAreAmbiguous() {
    assertEquals(LocalDate.of(2027, 3, 4), only("Due 03/04/2027.").earliest());
    assertEquals(LocalDate.of(2027, 3, 4), only("Due 04/03/2027.").earliest());
    assertEquals(LocalDate.of(2027, 4, 13), only("Due 13/04/2027.").earliest());
    assertEquals(LocalDate.of(2027, 4, 13), only("Due 04/13/2027.").earliest());
    assertEquals(LocalDate.of(2027, 4, 13), only("Due 13.04.2027.").earliest());
    assertTrue(DateMentions.find("Due 31/31/2027 and 2027-02-30.").isEmpty(),
        "impossible days are not dates");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "Order SKU-2027 today.", "It costs $2,028 in total.", "It costs $2028.",
      "We sold 2028 units last year.", "We shipped in 2028 units of ten.", "Call 555-2027 now.",
      "Doors open at 20:28.", "Ticket #2027 is closed.", "Call 0800 2027 123.",
      "Founded 2019 in Ohio.", "Model X2027 ships.", "Up 2027% on the day.",
      "In 14 March we meet.", "You may 2027 never know.", "Version 2.2027 is out.",
      "Page 2026/2027 of the log."})
  void pricesQuantitiesCodesAndTimesAreNotDates(String text) {
    assertEquals(List.of(), DateMentions.find(text), text);
  }

  @Test
  void laterThanComparesTheEarliestDayStrictly() {
    String text = "Price change in March 2027.";
    assertEquals(List.of(), DateMentions.laterThan(text, LocalDate.of(2027, 3, 10)),
        "March 2027 has started by 10 March");
    assertEquals(1, DateMentions.laterThan(text, LocalDate.of(2027, 2, 28)).size());
    assertEquals(1, DateMentions.laterThan("Launch in Q2 2027.", LocalDate.of(2027, 3, 31))
        .size());
    assertEquals(List.of(), DateMentions.laterThan("Launch in Q2 2027.",
        LocalDate.of(2027, 4, 1)));
    assertEquals(List.of(), DateMentions.laterThan("On 14 March 2027.",
        LocalDate.of(2027, 3, 14)));
    assertEquals(1, DateMentions.laterThan("On 14 March 2027.", LocalDate.of(2027, 3, 13))
        .size());
    assertEquals(List.of(), DateMentions.laterThan("Valid 2026–2027.", Fixtures.AS_OF),
        "a range counts by its start");
    assertEquals(1, DateMentions.laterThan("Valid 2027–2028.", Fixtures.AS_OF).size());
  }

  @Test
  void severalMentionsComeInTextOrderWithoutOverlaps() {
    List<DateMention> found = DateMentions.find(
        "Launched on 12 March 2025; from 1 February 2027 the price is $5.49 until Q3 2027.");
    assertEquals(List.of("12 March 2025", "1 February 2027", "Q3 2027"),
        found.stream().map(DateMention::text).toList());
  }
}
