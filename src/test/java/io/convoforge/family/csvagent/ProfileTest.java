package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileTest {
  @Test
  void typesNullsAndRanges() {
    String csv = "id,day,at,price,qty,ok,yes_no,zip,city\n"
        + "1,2024-01-05,2024-01-05 10:00:00,1.5,3,true,yes,007,Oslo\n"
        + "2,2024-02-01,2024-02-01 11:30:00,,4,FALSE,no,012,Oslo\n"
        + "3,,2024-03-01T09:15:00,2.25,,true,,100,Bergen\n";
    Profile p = Profile.of(CsvTable.parse("p.csv", csv.getBytes(StandardCharsets.UTF_8)));
    assertEquals(ColumnType.INTEGER, p.type("id"));
    assertEquals(ColumnType.DATE, p.type("day"));
    assertEquals(ColumnType.DATETIME, p.type("at"));
    assertEquals(ColumnType.NUMBER, p.type("price"));
    assertEquals(ColumnType.BOOLEAN, p.type("ok"));
    assertEquals(ColumnType.TEXT, p.type("yes_no"), "yes/no stays text, quoted as written");
    assertEquals(ColumnType.TEXT, p.type("zip"), "leading zeros are not numbers");
    Profile.ColumnProfile price = p.column("price");
    assertEquals(2, price.count());
    assertEquals(1, price.nulls());
    assertEquals(1.5, price.min());
    assertEquals(2.25, price.max());
    assertEquals(1.875, price.mean());
    assertEquals("2024-01-05", p.column("day").min());
    assertEquals("2024-02-01", p.column("day").max());
    assertEquals("2024-03-01 09:15:00", p.column("at").max());
    assertTrue(p.column("id").identifier());
  }

  @Test
  void categoricalColumnsHaveTopValuesWithCounts() {
    Profile p = Fixtures.profile("orders.csv");
    Profile.ColumnProfile status = p.column("status");
    assertTrue(status.categorical());
    assertEquals("delivered", status.top().get(0).value());
    assertTrue(status.top().get(0).count() > status.top().get(1).count());
    Profile.ColumnProfile country = p.column("country");
    assertTrue(country.distinct() >= 25, "long tail");
    assertEquals(Profile.TOP, country.top().size());
    assertFalse(p.column("customer_name").categorical(), "free text");
    assertTrue(p.column("order_id").identifier());
    assertTrue(p.column("discount_pct").nulls() > 0);
  }

  @Test
  void serialisesToSnakeCaseJson() {
    Profile p = Fixtures.profile("clinic_appointments.csv");
    String json = Json.write(p);
    assertTrue(json.contains("\"nulls\":"), json);
    assertEquals(json, Json.write(Json.read(json, Profile.class)));
    assertEquals(List.of("appointment_id", "patient_id"), p.columns().stream()
        .filter(Profile.ColumnProfile::identifier).map(Profile.ColumnProfile::name).toList());
  }
}
