package io.convoforge.family.tooluse.gen;

import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;
import net.datafaker.Faker;
import net.datafaker.service.FakeValuesService;
import net.datafaker.service.FakerContext;
import net.datafaker.service.RandomService;

/**
 * Realistic values that satisfy a column's constraints: enum, format, pattern, numeric range and
 * length. What a value looks like comes from generic property semantics (a name ending in
 * {@code email}, {@code phone}, {@code amount}...), never from a particular table. A row shares
 * one identity, so a contact's email matches its first and last name.
 *
 * <p>Not thread-safe; one per DoFn instance. {@link #reseed} before each element makes the output
 * a function of the seed only (datafaker draws from the {@link Random} it was built with).
 */
public final class ValueGenerator {
  private static final LocalDate EPOCH = LocalDate.of(2024, 1, 1);
  /**
   * Datafaker's dictionaries, parsed once per JVM: a Faker of its own parses every YAML file it
   * touches again, which cost more than generating the values. Thread-safe since datafaker 2.0;
   * the randomness stays per generator (its own {@link RandomService}).
   */
  private static final FakeValuesService DICTIONARIES = new FakeValuesService();

  private final Random random = new Random(0);
  private final Faker faker =
      new Faker(DICTIONARIES, new FakerContext(Locale.US, new RandomService(random)));
  private final Map<String, Pattern> patterns = new LinkedHashMap<>();

  public void reseed(long seed) {
    random.setSeed(seed);
  }

  public Random random() {
    return random;
  }

  public Faker faker() {
    return faker;
  }

  /** A coherent identity for one row: names, company and domain drawn once. */
  public final class Identity {
    private String first;
    private String last;
    private String company;

    public String first() {
      if (first == null) {
        first = faker.name().firstName();
      }
      return first;
    }

    public String last() {
      if (last == null) {
        last = faker.name().lastName();
      }
      return last;
    }

    public String company() {
      if (company == null) {
        company = faker.company().name();
      }
      return company;
    }

    public String domain() {
      String slug = company().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "");
      return (slug.isEmpty() ? "example" : slug) + ".com";
    }
  }

  public Identity identity() {
    return new Identity();
  }

  /**
   * A full row for a table: every required column, and each optional one with probability
   * {@code optionalShare}. {@code fixed} values (the key, foreign keys) are kept as given.
   */
  public Map<String, Object> row(Table t, Map<String, Object> fixed, double optionalShare) {
    Identity id = identity();
    Map<String, Object> row = new LinkedHashMap<>();
    for (Column c : t.columns().values()) {
      if (fixed.containsKey(c.name())) {
        row.put(c.name(), fixed.get(c.name()));
      } else if (c.isForeignKey() || c.name().equals(t.primaryKey())) {
        continue;
      } else if (t.isRequired(c.name()) || random.nextDouble() < optionalShare) {
        row.put(c.name(), value(t, c, id));
      }
    }
    return row;
  }

  /** A key value for a table's primary key (or any key-like column). */
  public Object key(Table t) {
    Column k = t.key();
    if (k.enumValues() != null || k.pattern() != null || "uuid".equals(k.format())) {
      return value(t, k, identity());
    }
    if ("integer".equals(k.type())) {
      long lo = k.minimum() == null ? 1000 : (long) Math.ceil(k.minimum());
      long hi = k.maximum() == null ? 99_999_999 : (long) Math.floor(k.maximum());
      return lo + (long) (random.nextDouble() * (hi - lo + 1));
    }
    if ("number".equals(k.type())) {
      return (double) (1000 + random.nextInt(1_000_000));
    }
    String prefix = t.name().replaceAll("[a-z]", "");
    prefix = prefix.length() >= 2 ? prefix : t.name().substring(0, Math.min(3, t.name().length()))
        .toUpperCase(Locale.ROOT);
    String v = prefix + "-" + Long.toString(Math.abs(random.nextLong()) % 2_176_782_336L, 36)
        .toUpperCase(Locale.ROOT);
    return fitLength(k, v);
  }

  public Object value(Table t, Column c, Identity id) {
    if (c.enumValues() != null) {
      return c.enumValues().get(random.nextInt(c.enumValues().size()));
    }
    switch (c.type()) {
      case "boolean":
        return random.nextBoolean();
      case "integer":
        return integer(c);
      case "number":
        return number(c);
      default:
        return string(t, c, id);
    }
  }

  private long integer(Column c) {
    String n = c.name();
    long lo;
    long hi;
    if (has(n, "probability", "percent", "pct", "score")) {
      lo = 0;
      hi = 100;
    } else if (has(n, "year")) {
      lo = 2020;
      hi = 2030;
    } else if (has(n, "quantity", "qty", "count", "seats", "units", "number", "num")) {
      lo = 1;
      hi = 250;
    } else if (has(n, "employees", "headcount", "size")) {
      lo = 5;
      hi = 20_000;
    } else if (has(n, "amount", "price", "value", "revenue", "cost", "total", "budget")) {
      lo = 1_000;
      hi = 500_000;
    } else {
      lo = 1;
      hi = 1_000;
    }
    if (c.minimum() != null) {
      lo = Math.max(lo, (long) Math.ceil(c.minimum()));
    }
    if (c.maximum() != null) {
      hi = Math.min(hi, (long) Math.floor(c.maximum()));
    }
    if (lo > hi) {
      lo = c.minimum() != null ? (long) Math.ceil(c.minimum()) : hi;
      hi = c.maximum() != null ? (long) Math.floor(c.maximum()) : lo;
    }
    return lo + (long) (random.nextDouble() * (hi - lo + 1));
  }

  private double number(Column c) {
    String n = c.name();
    double lo;
    double hi;
    if (has(n, "probability", "percent", "pct", "discount", "rate", "margin")) {
      lo = 0;
      hi = has(n, "probability", "percent", "pct") ? 100 : 30;
    } else if (has(n, "amount", "price", "value", "revenue", "cost", "total", "budget", "fee")) {
      lo = 500;
      hi = 250_000;
    } else {
      lo = 0;
      hi = 1_000;
    }
    if (c.minimum() != null) {
      lo = Math.max(lo, c.minimum());
    }
    if (c.maximum() != null) {
      hi = Math.min(hi, c.maximum());
    }
    if (lo > hi) {
      lo = c.minimum() != null ? c.minimum() : hi;
      hi = c.maximum() != null ? c.maximum() : lo;
    }
    double v = lo + random.nextDouble() * (hi - lo);
    BigDecimal bd = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP);
    double r = bd.doubleValue();
    if (r < lo || r > hi) {
      r = lo;
    }
    return r;
  }

  private String string(Table t, Column c, Identity id) {
    if (c.format() != null) {
      switch (c.format()) {
        case "uuid":
          return new UUID(random.nextLong(), random.nextLong()).toString();
        case "email":
          return email(id);
        case "uri":
          return "https://www." + id.domain() + (has(c.name(), "doc", "file", "url", "link")
              ? "/files/" + slug(faker.lorem().word()) + "-" + (100 + random.nextInt(900)) + ".pdf"
              : "/");
        case "date":
          return date(c.name()).toString();
        case "date-time":
          return date(c.name()).atStartOfDay().plusMinutes(random.nextInt(24 * 60))
              .toInstant(java.time.ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
        default:
          break;
      }
    }
    if (c.pattern() != null) {
      return fromPattern(c);
    }
    return fitLength(c, semantic(t, c, id));
  }

  private String semantic(Table t, Column c, Identity id) {
    String n = c.name();
    if (has(n, "first_name", "firstname", "given_name")) {
      return id.first();
    }
    if (has(n, "last_name", "lastname", "surname", "family_name")) {
      return id.last();
    }
    if (has(n, "full_name", "contact_name", "owner_name", "assignee", "manager")) {
      return id.first() + " " + id.last();
    }
    if (has(n, "email")) {
      return email(id);
    }
    if (has(n, "phone", "mobile", "fax")) {
      return faker.numerify("+1-###-555-####");
    }
    if (has(n, "company", "organization", "organisation", "account_name", "employer")) {
      return id.company();
    }
    if (has(n, "title", "job", "position", "role")) {
      return faker.job().title();
    }
    if (has(n, "city")) {
      return faker.address().city();
    }
    if (has(n, "country")) {
      return faker.address().country();
    }
    if (has(n, "state", "region", "province")) {
      return faker.address().state();
    }
    if (has(n, "zip", "postal")) {
      return faker.address().zipCode();
    }
    if (has(n, "address", "street")) {
      return faker.address().streetAddress();
    }
    if (has(n, "website", "url", "domain", "link")) {
      return "https://www." + id.domain();
    }
    if (has(n, "industry", "sector")) {
      return faker.company().industry();
    }
    if (has(n, "currency")) {
      return List.of("USD", "EUR", "GBP", "CAD", "AUD").get(random.nextInt(5));
    }
    if (has(n, "file", "filename", "document_name")) {
      return slug(faker.commerce().productName()) + "_" + (2024 + random.nextInt(3)) + ".pdf";
    }
    if (has(n, "description", "notes", "note", "summary", "comment", "details", "terms")) {
      return faker.company().catchPhrase() + ".";
    }
    if (has(n, "product", "item", "sku")) {
      return faker.commerce().productName();
    }
    if (n.equals("name") || n.endsWith("_name")) {
      boolean person = t.columns().keySet().stream()
          .anyMatch(k -> has(k, "first_name", "last_name"));
      if (person) {
        return id.first() + " " + id.last();
      }
      boolean product = t.columns().keySet().stream()
          .anyMatch(k -> has(k, "price", "sku", "product"));
      if (product) {
        return faker.commerce().productName();
      }
      boolean dependent = t.foreignKeys().stream().anyMatch(fk -> t.isRequired(fk.name()));
      if (!dependent) {
        return id.company();
      }
      return id.company() + " " + capitalize(faker.company().buzzword()) + " "
          + List.of("deal", "renewal", "expansion", "project", "rollout", "pilot")
              .get(random.nextInt(6));
    }
    if (has(n, "status", "stage", "type", "category", "source", "channel", "priority")) {
      return capitalize(faker.lorem().word());
    }
    return capitalize(faker.commerce().productName());
  }

  private String email(Identity id) {
    String local = (id.first() + "." + id.last()).toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9.]+", "");
    return local + "@" + id.domain();
  }

  private LocalDate date(String name) {
    int span;
    LocalDate from;
    if (has(name, "close", "due", "end", "expir", "renew", "valid_until", "deadline")) {
      from = EPOCH.plusDays(365);
      span = 730;
    } else if (has(name, "birth", "dob")) {
      from = LocalDate.of(1960, 1, 1);
      span = 365 * 40;
    } else {
      from = EPOCH;
      span = 700;
    }
    return from.plusDays(random.nextInt(span));
  }

  private String fromPattern(Column c) {
    Pattern p = patterns.computeIfAbsent(c.pattern(), Pattern::compile);
    String regex = c.pattern();
    if (regex.startsWith("^")) {
      regex = regex.substring(1);
    }
    if (regex.endsWith("$") && !regex.endsWith("\\$")) {
      regex = regex.substring(0, regex.length() - 1);
    }
    for (int attempt = 0; attempt < 20; attempt++) {
      String v = faker.regexify(regex);
      if (p.matcher(v).find() && lengthOk(c, v)) {
        return v;
      }
    }
    throw new IllegalStateException("cannot generate a value for pattern " + c.pattern()
        + " of column " + c.name());
  }

  private String fitLength(Column c, String v) {
    if (c.maxLength() != null && v.length() > c.maxLength()) {
      v = v.substring(0, c.maxLength()).trim();
    }
    StringBuilder sb = new StringBuilder(v);
    while (c.minLength() != null && sb.length() < c.minLength()) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }

  private static boolean lengthOk(Column c, String v) {
    return (c.minLength() == null || v.length() >= c.minLength())
        && (c.maxLength() == null || v.length() <= c.maxLength());
  }

  /** Picks {@code n} distinct items in a random order. */
  public <T> List<T> pick(List<T> items, int n) {
    List<T> copy = new ArrayList<>(items);
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n && !copy.isEmpty(); i++) {
      out.add(copy.remove(random.nextInt(copy.size())));
    }
    return out;
  }

  public <T> T one(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  static boolean has(String name, String... parts) {
    String n = name.toLowerCase(Locale.ROOT);
    for (String p : parts) {
      if (n.contains(p)) {
        return true;
      }
    }
    return false;
  }

  private static String slug(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** The canonical text of a value, as utterances say it and the judge looks for it. */
  public static String render(Object v) {
    if (v instanceof Double || v instanceof Float) {
      return BigDecimal.valueOf(((Number) v).doubleValue()).stripTrailingZeros().toPlainString();
    }
    if (v instanceof Boolean) {
      return ((Boolean) v) ? "yes" : "no";
    }
    return String.valueOf(v);
  }

}
