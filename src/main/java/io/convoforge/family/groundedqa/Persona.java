package io.convoforge.family.groundedqa;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A customer who asks questions; {@code topics} say which parts of the facts document they care
 * about (matched against chunk headings by {@link Personas#forHeading}).
 */
public record Persona(String id, String name, String role, List<String> topics)
    implements Serializable {
  public Persona {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    topics = topics == null ? List.of() : List.copyOf(topics);
  }

  /** The first word of {@link #name}, for greetings. */
  public String firstName() {
    String n = name.strip();
    int sp = n.indexOf(' ');
    return sp < 0 ? n : n.substring(0, sp);
  }
}
