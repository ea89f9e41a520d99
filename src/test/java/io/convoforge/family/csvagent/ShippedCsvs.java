package io.convoforge.family.csvagent;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes the shipped CSVs ({@code data/csv/orders.csv}, {@code bike_trips.csv},
 * {@code clinic_appointments.csv}) and the test CSV ({@code src/test/resources/csvagent/
 * bäckerei_verkäufe.csv}: semicolons, BOM, unicode names, many empty cells) from fixed seeds.
 * The files are committed; rerun with the repository root as argument only to change them.
 */
public final class ShippedCsvs {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String[] FIRST = {"Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sofia",
      "Lucas", "Mia", "Elijah", "Amelia", "James", "Harper", "Benjamin", "Aisha", "Kenji", "Zoe",
      "Omar", "Chloe", "Diego", "Nora", "Ivan", "Leila", "Tomás", "Priya", "Henrik", "Grace", "Wei",
      "Fatima", "Jonas", "Isla", "Rafael", "Hannah", "Samuel", "Yara", "Finn", "Lucía", "Adam"};
  private static final String[] LAST = {"Smith", "García", "Müller", "Johnson", "Nguyen", "Kowalski",
      "Rossi", "Brown", "Tanaka", "Martin", "O'Brien", "Silva", "Novak", "Jensen", "Khan", "Dubois",
      "Lee", "Andersson", "Murphy", "Costa", "Weber", "Patel", "Hughes", "Fischer", "Moreau"};

  private static final String[] REMARKS = {"", "Delivery took 3 days.", "Courier was friendly.",
      "Would recommend to friends.", "Price was fair.", "Packaging: too much plastic.",
      "Ordered a second one.", "Instructions only in German.", "Colour matches the photo."};

  private ShippedCsvs() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : ".");
    write(root.resolve("data/csv/orders.csv"), orders(new Random(11)), ',', false);
    write(root.resolve("data/csv/bike_trips.csv"), trips(new Random(12)), ',', false);
    write(root.resolve("data/csv/clinic_appointments.csv"), clinic(new Random(13)), ',', false);
    write(root.resolve("src/test/resources/csvagent/bäckerei_verkäufe.csv"),
        bakery(new Random(14)), ';', true);
  }

  static List<List<Object>> orders(Random r) {
    String[] countries = {"United States", "United Kingdom", "Germany", "France", "Canada",
        "Australia", "Netherlands", "Spain", "Italy", "Sweden", "Ireland", "Belgium", "Austria",
        "Switzerland", "Denmark", "Norway", "Poland", "Portugal", "Japan", "New Zealand", "Finland",
        "Czechia", "Mexico", "Brazil", "Singapore", "Iceland", "Luxembourg", "Estonia", "Malta",
        "Chile"};
    String[] cats = {"Electronics", "Home & Kitchen", "Books", "Clothing", "Toys", "Sports",
        "Beauty", "Garden"};
    String[][] products = {
        {"Wireless Earbuds", "Cable, USB-C (2 m)", "Smart Speaker", "27\" Monitor", "Power Bank"},
        {"12\" Skillet", "Chef's Knife", "French Press", "Bamboo Cutting Board", "Kettle"},
        {"Cookbook: Quick Meals", "Sci-Fi Paperback", "Atlas of the World", "Kids' Picture Book"},
        {"Rain Jacket", "Wool Socks (3-pack)", "Running Shorts", "Denim Jeans", "Linen Shirt"},
        {"Puzzle, 1000 pieces", "Building Blocks", "Plush Fox", "Board Game: Settlers"},
        {"Yoga Mat", "Water Bottle", "Tennis Balls (4)", "Cycling Gloves"},
        {"Face Cream", "Shampoo Bar", "Lip Balm, mint"},
        {"Garden Hose 20 m", "Seed Kit", "Pruning Shears", "Planter Box"}};
    double[] base = {59, 28, 16, 42, 24, 22, 14, 31};
    String[] pay = {"card", "card", "card", "card", "paypal", "paypal", "bank transfer",
        "gift card", "cash on delivery"};
    String[] reviews = {"Great value, would buy again.", "Arrived late but well packed.",
        "Not as described — the colour is \"off-white\", not white.", "Works fine.",
        "Excellent quality", "Box was damaged, product OK.", "Too small; returned it.",
        "Five stars!", "Gift for my dad, he loved it."};
    List<List<Object>> rows = new ArrayList<>();
    rows.add(List.of("order_id", "order_date", "customer_name", "country", "category", "product",
        "quantity", "unit_price", "discount_pct", "order_total", "payment_method", "status",
        "gift_wrap", "rating", "review"));
    List<LocalDate> days = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      days.add(LocalDate.of(2024, 1, 1).plusDays(r.nextInt(366)));
    }
    days.sort(null);
    for (int i = 0; i < days.size(); i++) {
      int c = weighted(r, new double[] {22, 18, 12, 16, 9, 10, 7, 6});
      String product = products[c][r.nextInt(products[c].length)];
      int qty = 1 + (int) Math.floor(Math.pow(r.nextDouble(), 2.5) * 6);
      double price = round2(base[c] * (0.6 + r.nextDouble() * 0.9));
      Integer disc = r.nextDouble() < 0.7 ? null : new int[] {5, 10, 15, 20}[r.nextInt(4)];
      double total = round2(qty * price * (1 - (disc == null ? 0 : disc) / 100.0));
      int s = weighted(r, new double[] {70, 12, 8, 6, 4});
      String status = new String[] {"delivered", "shipped", "cancelled", "returned",
          "processing"}[s];
      Integer rating = s == 0 && r.nextDouble() < 0.5 ? 1 + weighted(r, new double[] {1, 1, 3, 8,
          12}) : null;
      String review = rating != null && r.nextDouble() < 0.4
          ? (reviews[r.nextInt(reviews.length)] + " " + REMARKS[r.nextInt(REMARKS.length)]).strip()
          : null;
      rows.add(row(100001 + i, days.get(i), name(r), countries[zipf(r, countries.length, 1.1)],
          cats[c], product, qty, price, disc, total, pay[r.nextInt(pay.length)], status,
          r.nextDouble() < 0.15, rating, review));
    }
    return rows;
  }

  static List<List<Object>> trips(Random r) {
    String[] stations = new String[45];
    String[] streets = {"Harbour St", "Market Sq", "Central Station", "Riverside Park",
        "University Ave", "Old Town Hall", "Museum Quarter", "Elm Rd", "Canal Walk", "Stadium",
        "Library", "North Gate", "Hospital", "Tech Park", "Beach Promenade"};
    for (int i = 0; i < stations.length; i++) {
      stations[i] = streets[i % streets.length] + (i < streets.length ? "" : " " + (i / 15 + 1));
    }
    String[] comments = {"Seat was loose", "Brakes squeak", "Great ride!", "Dock was full, had to"
        + " ride to the next one", "App crashed at checkout", "Flat tyre, \"fixed\" at station"};
    List<List<Object>> rows = new ArrayList<>();
    rows.add(List.of("trip_id", "started_at", "ended_at", "duration_min", "start_station",
        "end_station", "bike_type", "member", "rider_age", "distance_km", "temperature_c",
        "rating", "comment"));
    List<LocalDateTime> starts = new ArrayList<>();
    for (int i = 0; i < 2400; i++) {
      int hour = new int[] {6, 7, 8, 8, 9, 11, 12, 13, 15, 16, 17, 17, 18, 19, 21, 23}[r.nextInt(16)];
      starts.add(LocalDateTime.of(2024, 5, 1, hour, r.nextInt(60), r.nextInt(60))
          .plusDays(r.nextInt(123)));
    }
    starts.sort(null);
    for (int i = 0; i < starts.size(); i++) {
      int type = weighted(r, new double[] {60, 35, 5});
      double dist = round2(0.4 + Math.pow(r.nextDouble(), 1.7) * 11);
      double speed = new double[] {13, 19, 10}[type] * (0.7 + r.nextDouble() * 0.5);
      double minutes = Math.round((dist / speed * 60 + 1 + r.nextDouble() * 4) * 10) / 10.0;
      LocalDateTime end = starts.get(i).plusSeconds(Math.round(minutes * 60));
      int from = zipf(r, stations.length, 0.9);
      int to = r.nextDouble() < 0.08 ? from : zipf(r, stations.length, 0.9);
      Integer rating = r.nextDouble() < 0.6 ? null : 1 + weighted(r, new double[] {1, 1, 2, 5, 7});
      rows.add(row(5000001 + i, starts.get(i), end, minutes, stations[from], stations[to],
          new String[] {"classic", "electric", "cargo"}[type], r.nextDouble() < 0.62 ? "yes" : "no",
          r.nextDouble() < 0.12 ? null : 16 + (int) (Math.pow(r.nextDouble(), 1.4) * 60),
          r.nextDouble() < 0.05 ? null : dist,
          Math.round((14 + 8 * Math.sin(i / 400.0) + r.nextGaussian() * 3) * 10) / 10.0, rating,
          rating != null && rating <= 2 && r.nextBoolean() ? comments[r.nextInt(comments.length)]
              + " (dock " + (1 + r.nextInt(30)) + ")" : null));
    }
    return rows;
  }

  static List<List<Object>> clinic(Random r) {
    String[] depts = {"General Practice", "Pediatrics", "Cardiology", "Dermatology",
        "Orthopedics", "Ophthalmology", "ENT", "Neurology", "Psychiatry", "Endocrinology",
        "Rheumatology", "Oncology"};
    double[] fee = {85, 95, 180, 120, 150, 110, 105, 200, 160, 140, 145, 240};
    String[] notes = {"Follow-up in 6 weeks.", "Referred to imaging; patient anxious.",
        "Prescription renewed, no changes.", "BP 135/85, recheck", "Patient asked about \"generic\""
        + " options.", "Allergy to penicillin noted", "Discussed diet,\nexercise and sleep.",
        "Results normal"};
    List<List<Object>> rows = new ArrayList<>();
    rows.add(List.of("appointment_id", "patient_id", "appointment_date", "department", "doctor",
        "visit_type", "patient_age", "insured", "no_show", "wait_minutes", "duration_minutes",
        "fee", "copay", "notes"));
    List<LocalDate> days = new ArrayList<>();
    while (days.size() < 900) {
      LocalDate d = LocalDate.of(2023, 9, 1).plusDays(r.nextInt(366));
      if (d.getDayOfWeek().getValue() <= 5) {
        days.add(d);
      }
    }
    days.sort(null);
    for (int i = 0; i < days.size(); i++) {
      int dep = zipf(r, depts.length, 1.0);
      String doctor = "Dr. " + FIRST[(dep * 7 + r.nextInt(dep < 3 ? 4 : 2)) % FIRST.length] + " "
          + LAST[(dep * 5 + r.nextInt(2)) % LAST.length];
      int vt = weighted(r, new double[] {30, 45, 10, 15});
      boolean insured = r.nextDouble() < 0.78;
      boolean noShow = r.nextDouble() < 0.08;
      int age = dep == 1 ? r.nextInt(17) : 18 + r.nextInt(75);
      Integer wait = noShow || r.nextDouble() < 0.05 ? null : (int) (Math.pow(r.nextDouble(), 2) * 70);
      int dur = new int[] {15, 20, 30, 30, 45, 60}[r.nextInt(6)];
      double f = round2(fee[dep] * (vt == 0 ? 1.3 : vt == 2 ? 1.5 : 1.0) * (0.9 + r.nextDouble() * 0.2));
      rows.add(row(40001 + i, 700 + r.nextInt(420), days.get(i), depts[dep], doctor,
          new String[] {"new patient", "follow-up", "urgent", "telehealth"}[vt], age,
          insured ? "yes" : "no", noShow, wait, dur, f, insured ? round2(f * 0.2) : null,
          r.nextDouble() < 0.25 ? notes[r.nextInt(notes.length)] + " " + REMARKS[r.nextInt(3)]
              .replace("Delivery took 3 days.", "Seen by nurse first.")
              .replace("Courier was friendly.", "Weight " + (50 + r.nextInt(60)) + " kg.")
              .strip() : null));
    }
    return rows;
  }

  static List<List<Object>> bakery(Random r) {
    String[] shops = {"München-Schwabing", "Köln Ehrenfeld", "Zürich HB", "Wien Neubau", "Graz",
        "Straßburg", "Łódź Centrum", "Malmö Södra"};
    String[] items = {"Brötchen", "Laugenbrezel", "Croissant", "Pain au chocolat", "Käsekuchen",
        "Crème brûlée", "Mohnschnecke", "Zimtschnecke", "Bienenstich", "Apfelstrudel",
        "Roggenbrot 1 kg", "Dinkelvollkornbrot"};
    double[] price = {0.45, 0.9, 1.6, 1.9, 3.2, 3.9, 2.1, 2.3, 2.8, 3.1, 4.6, 5.2};
    String[] comments = {"ausverkauft um 11 Uhr", "Kunde: „sehr lecker“ 😊", "Lieferung verspätet;"
        + " Ofen defekt", "Sonderangebot -20 %", "zu dunkel gebacken", "Øko-Mehl getestet"};
    List<List<Object>> rows = new ArrayList<>();
    rows.add(List.of("Datum", "Filiale", "Produkt", "Menge", "Stückpreis (€)", "Bio",
        "Kommentar", "Kundennummer"));
    for (int i = 0; i < 420; i++) {
      int it = r.nextInt(items.length);
      rows.add(row(LocalDate.of(2024, 3, 1).plusDays(r.nextInt(61)),
          r.nextDouble() < 0.1 ? null : shops[zipf(r, shops.length, 1.2)],
          items[it], r.nextDouble() < 0.35 ? null : 1 + r.nextInt(40),
          r.nextDouble() < 0.3 ? null : round2(price[it] * (0.95 + r.nextDouble() * 0.1)),
          r.nextDouble() < 0.4 ? null : r.nextDouble() < 0.3,
          r.nextDouble() < 0.8 ? null : comments[r.nextInt(comments.length)],
          r.nextDouble() < 0.5 ? null : String.format(Locale.ROOT, "K-%05d", r.nextInt(3000))));
    }
    return rows;
  }

  private static List<Object> row(Object... cells) {
    List<Object> out = new ArrayList<>();
    for (Object c : cells) {
      out.add(c instanceof LocalDateTime t ? t.format(STAMP) : c);
    }
    return out;
  }

  private static void write(Path file, List<List<Object>> rows, char delim, boolean bom)
      throws IOException {
    StringWriter w = new StringWriter();
    if (bom) {
      w.write('\uFEFF');
    }
    CSVFormat f = CSVFormat.RFC4180.builder().setDelimiter(delim).setRecordSeparator("\n")
        .setNullString("").build();
    try (CSVPrinter p = new CSVPrinter(w, f)) {
      for (List<Object> row : rows) {
        p.printRecord(row);
      }
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, w.toString(), StandardCharsets.UTF_8);
  }

  private static String name(Random r) {
    return FIRST[r.nextInt(FIRST.length)] + " " + LAST[r.nextInt(LAST.length)];
  }

  private static int weighted(Random r, double[] w) {
    double total = 0;
    for (double x : w) {
      total += x;
    }
    double u = r.nextDouble() * total;
    for (int i = 0; i < w.length; i++) {
      u -= w[i];
      if (u < 0) {
        return i;
      }
    }
    return w.length - 1;
  }

  /** Index 0..n-1 with probability proportional to 1/(i+1)^s: a long tail. */
  private static int zipf(Random r, int n, double s) {
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 1 / Math.pow(i + 1, s);
    }
    return weighted(r, w);
  }

  private static double round2(double d) {
    return Math.round(d * 100) / 100.0;
  }
}
