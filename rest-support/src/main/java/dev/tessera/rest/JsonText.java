package dev.tessera.rest;

import java.util.Locale;

/** A client's text echoed back in an error message, as JSON would write it. */
public final class JsonText {

    /** Longest text echoed back: a 20,000-character string is not. */
    public static final int QUOTED = 40;

    private JsonText() {
    }

    /** {@code "text"} in JSON's escaping, cut after {@value #QUOTED} characters. */
    public static String quoted(String s) {
        String cut = s.length() > QUOTED ? s.substring(0, QUOTED) + "..." : s;
        StringBuilder q = new StringBuilder("\"");
        for (char ch : cut.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                q.append('\\').append(ch);
            } else if (ch < ' ') {
                q.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
            } else {
                q.append(ch);
            }
        }
        return q.append('"').toString();
    }
}
