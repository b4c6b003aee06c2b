package org.nbregistry.analytics.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal SVG writer: elements are appended as text, every attribute value and text node is escaped, and numbers
 * are written with a dot and one decimal whatever the server's locale, so the output is always well-formed XML.
 */
final class Svg {

    /** Colour-blind-safe (Okabe–Ito) without the yellow, which is unreadable on white. */
    static final String[] PALETTE = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};

    /** Estimated advance of one character, in em (see {@link #wrap}). */
    static final double CHAR_WIDTH = 0.6;

    private final StringBuilder out = new StringBuilder(16_384);

    Svg(int width, int height, String title, String description) {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        element("title", title);
        element("desc", description);
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    }

    /** Opens an element; {@code attributes} alternate name and value. */
    Svg open(String name, String... attributes) {
        out.append('<').append(name);
        attributes(attributes);
        out.append(">\n");
        return this;
    }

    Svg close(String name) {
        out.append("</").append(name).append(">\n");
        return this;
    }

    Svg empty(String name, String... attributes) {
        out.append('<').append(name);
        attributes(attributes);
        out.append("/>\n");
        return this;
    }

    /** An element with text content and optional attributes. */
    Svg element(String name, String text, String... attributes) {
        out.append('<').append(name);
        attributes(attributes);
        out.append('>').append(escape(text)).append("</").append(name).append(">\n");
        return this;
    }

    Svg text(double x, double y, String text, String... attributes) {
        return element("text", text, at(x, y, attributes));
    }

    /**
     * Text that wraps at spaces to stay within {@code maxWidth}: one {@code text} element whose lines are {@code tspan}s
     * {@code lineHeight} apart, so that its text content is still the whole text. Returns the number of lines.
     */
    int wrappedText(double x, double y, double lineHeight, double maxWidth, double fontSize, String text, String... attributes) {
        List<String> lines = wrap(text, maxWidth, fontSize);
        // On one line: whitespace between the tspans would become part of the text.
        out.append("<text");
        attributes(at(x, y, attributes));
        out.append('>');
        for (int i = 0; i < lines.size(); i++) {
            out.append("<tspan");
            attributes(new String[] {"x", num(x), "dy", i == 0 ? null : num(lineHeight)});
            out.append('>').append(escape(lines.get(i))).append("</tspan>");
        }
        out.append("</text>\n");
        return lines.size();
    }

    /**
     * The lines {@code text} takes at this font size within {@code maxWidth}, breaking at spaces (a word longer than a
     * line is broken inside). Each line but the last keeps its trailing space, so the lines joined are the text.
     * Widths are estimated from the character count: {@value #CHAR_WIDTH} em each is at least the average of Helvetica
     * and Arial, also in bold, for the Latin text the plots carry.
     */
    static List<String> wrap(String text, double maxWidth, double fontSize) {
        int perLine = Math.max(8, (int) Math.floor(maxWidth / (fontSize * CHAR_WIDTH)));
        List<String> lines = new ArrayList<>();
        String rest = text == null ? "" : text;
        while (rest.length() > perLine) {
            int cut = rest.lastIndexOf(' ', perLine);
            int end = cut > 0 ? cut + 1 : perLine;
            lines.add(rest.substring(0, end));
            rest = rest.substring(end);
        }
        lines.add(rest);
        return lines;
    }

    Svg line(double x1, double y1, double x2, double y2, String... attributes) {
        String[] all = new String[attributes.length + 8];
        String[] xy = {"x1", num(x1), "y1", num(y1), "x2", num(x2), "y2", num(y2)};
        System.arraycopy(xy, 0, all, 0, 8);
        System.arraycopy(attributes, 0, all, 8, attributes.length);
        return empty("line", all);
    }

    /** x and y, then the other attributes. */
    private static String[] at(double x, double y, String[] attributes) {
        String[] all = new String[attributes.length + 4];
        all[0] = "x";
        all[1] = num(x);
        all[2] = "y";
        all[3] = num(y);
        System.arraycopy(attributes, 0, all, 4, attributes.length);
        return all;
    }

    String finish() {
        out.append("</svg>\n");
        return out.toString();
    }

    private void attributes(String[] attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
            }
        }
    }

    static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String colour(int index) {
        return PALETTE[index % PALETTE.length];
    }

    /** Beyond the palette, curves repeat its colours dashed so that they stay distinguishable. */
    static String dash(int index) {
        return index < PALETTE.length ? null : "6 3";
    }

    /** Labels that would run into the next column are cut; the full text stays in a tooltip title. */
    static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    // Control characters other than tab and newline are not allowed in XML 1.0 at all.
                    if (c >= 0x20 || c == '\t' || c == '\n') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
