package org.nbregistry.analytics.plot;

import org.nbregistry.analytics.plot.ForestChart.Estimate;
import org.nbregistry.analytics.plot.ForestChart.Row;
import org.nbregistry.analytics.plot.ForestChart.Section;

import java.util.List;

/**
 * Draws a {@link ForestChart} as SVG: one line per factor level with its hazard ratio as a square and its interval
 * as a line on a log axis, a dashed line at HR = 1, and the numbers beside it.
 *
 * <p>Each drawn estimate is a {@code rect} of class {@code hr-marker} with {@code data-factor} and {@code data-level}.
 * Intervals that run off the axis are cut at its end and marked with an arrowhead (class {@code clipped}).
 */
public final class ForestSvg {

    private static final int WIDTH = 1120;
    private static final int TOP_TITLE = 26;
    private static final int TITLE_SIZE = 16;
    private static final int TITLE_LINE = 20;
    private static final int FONT_SIZE = 12;
    private static final int LINE = 16;
    private static final int ROW = 18;
    private static final int LABEL_X = 16;
    private static final int COUNTS_X = 330;
    private static final int PLOT_LEFT = 360;
    private static final int PLOT_WIDTH = 300;
    private static final int TEXT_X = PLOT_LEFT + PLOT_WIDTH + 20;
    /** Titles and notes span the figure; a factor's summary the right-hand column. */
    private static final int TEXT_WIDTH = WIDTH - 2 * LABEL_X;
    private static final int SUMMARY_WIDTH = WIDTH - TEXT_X - LABEL_X;
    /** Axis limits and ticks: the HRs one reads off a log axis. */
    private static final double[] TICKS = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100};

    private ForestSvg() {
    }

    public static String render(ForestChart chart) {
        int titleLines = Svg.wrap(chart.title(), TEXT_WIDTH, TITLE_SIZE).size();
        int subtitleLines = lines(chart.subtitle(), TEXT_WIDTH);
        int rows = chart.sections().stream().mapToInt(s -> summaryLines(s) + s.rows().size()).sum();
        int header = TOP_TITLE + TITLE_LINE * (titleLines - 1) + LINE * subtitleLines + 20;
        int firstRow = header + ROW;
        int axisY = firstRow + rows * ROW + 4;
        int height = axisY + 44 + LINE * lines(chart.notes(), TEXT_WIDTH) + 8;
        double[] range = range(chart);
        Axis axis = new Axis(range[0], range[1]);

        Svg svg = new Svg(WIDTH, height, chart.title(), String.join("; ", chart.subtitle()));
        svg.wrappedText(LABEL_X, TOP_TITLE, TITLE_LINE, TEXT_WIDTH, TITLE_SIZE, chart.title(),
                "font-size", Integer.toString(TITLE_SIZE), "font-weight", "bold", "class", "title");
        int subtitleY = TOP_TITLE + TITLE_LINE * (titleLines - 1) + LINE;
        for (String line : chart.subtitle()) {
            subtitleY += LINE * svg.wrappedText(LABEL_X, subtitleY, LINE, TEXT_WIDTH, FONT_SIZE, line, "fill", "#444444", "class", "subtitle");
        }
        svg.open("g", "class", "column-headers", "font-weight", "bold");
        svg.text(LABEL_X, header, "Factor / level");
        svg.text(COUNTS_X, header, "n / events", "text-anchor", "end");
        svg.text(PLOT_LEFT + PLOT_WIDTH / 2.0, header, "Hazard ratio (log scale)", "text-anchor", "middle");
        svg.text(TEXT_X, header, "HR (CI), Wald p");
        svg.close("g");

        // The line of no effect first, so that markers are drawn over it.
        svg.line(axis.x(1), firstRow - ROW / 2.0, axis.x(1), axisY, "stroke", "#888888", "stroke-dasharray", "4 3", "class", "no-effect");

        int y = firstRow;
        for (Section section : chart.sections()) {
            svg.open("g", "class", "factor", "data-factor", section.label());
            svg.text(LABEL_X, y + 4, Svg.shorten(section.label(), 52), "font-weight", "bold");
            if (section.summary() != null) {
                svg.wrappedText(TEXT_X, y + 4, ROW, SUMMARY_WIDTH, FONT_SIZE, section.summary(),
                        "fill", "#444444", "font-style", "italic", "class", "factor-summary");
            }
            y += ROW * summaryLines(section);
            for (Row row : section.rows()) {
                row(svg, axis, section.label(), row, y);
                y += ROW;
            }
            svg.close("g");
        }

        svg.open("g", "class", "axis");
        svg.line(axis.x(range[0]), axisY, axis.x(range[1]), axisY, "stroke", "#000000");
        for (double tick : TICKS) {
            if (tick >= range[0] && tick <= range[1]) {
                svg.line(axis.x(tick), axisY, axis.x(tick), axisY + 5, "stroke", "#000000");
                svg.text(axis.x(tick), axisY + 18, label(tick), "text-anchor", "middle");
            }
        }
        svg.text(PLOT_LEFT + PLOT_WIDTH / 2.0, axisY + 34, "Hazard ratio vs the reference level", "text-anchor", "middle");
        svg.close("g");

        int noteY = axisY + 44 + LINE - 4;
        for (String note : chart.notes()) {
            noteY += LINE * svg.wrappedText(LABEL_X, noteY, LINE, TEXT_WIDTH, FONT_SIZE, note, "class", "note", "fill", "#444444");
        }
        return svg.finish();
    }

    /** The rows a factor's heading takes: its summary beside it may wrap onto more. */
    private static int summaryLines(Section section) {
        return section.summary() == null ? 1 : Svg.wrap(section.summary(), SUMMARY_WIDTH, FONT_SIZE).size();
    }

    private static int lines(List<String> texts, double width) {
        return texts.stream().mapToInt(t -> Svg.wrap(t, width, FONT_SIZE).size()).sum();
    }

    private static void row(Svg svg, Axis axis, String factor, Row row, int y) {
        svg.text(LABEL_X + 16, y + 4, Svg.shorten(row.level(), 40), "class", "level");
        svg.text(COUNTS_X, y + 4, row.counts(), "text-anchor", "end", "class", "counts");
        Estimate e = row.estimate();
        if (e != null) {
            double lo = axis.clamp(e.lower());
            double hi = axis.clamp(e.upper());
            svg.line(axis.x(lo), y, axis.x(hi), y, "stroke", "#000000", "stroke-width", "1.5", "class", "hr-ci");
            if (e.lower() < axis.min()) {
                arrow(svg, axis.x(lo), y, -1);
            }
            if (e.upper() > axis.max()) {
                arrow(svg, axis.x(hi), y, 1);
            }
            double x = axis.x(axis.clamp(e.hazardRatio()));
            svg.empty("rect", "class", "hr-marker", "data-factor", factor, "data-level", row.level(),
                    "x", Svg.num(x - 4), "y", Svg.num(y - 4.0), "width", "8", "height", "8", "fill", "#0072B2");
        }
        if (row.text() != null) {
            svg.text(TEXT_X, y + 4, row.text(), "class", "estimate-text");
        }
    }

    private static void arrow(Svg svg, double x, double y, int direction) {
        double tip = x + direction * 6;
        svg.empty("path", "class", "clipped", "d", "M" + Svg.num(tip) + " " + Svg.num(y) + "L" + Svg.num(x) + " " + Svg.num(y - 4)
                + "L" + Svg.num(x) + " " + Svg.num(y + 4) + "Z", "fill", "#000000");
    }

    /** From the tick at or below the smallest limit to the tick at or above the largest, always including 1. */
    static double[] range(ForestChart chart) {
        double lo = 1;
        double hi = 1;
        for (Section section : chart.sections()) {
            for (Row row : section.rows()) {
                Estimate e = row.estimate();
                if (e != null) {
                    lo = Math.min(lo, Math.min(e.lower(), e.hazardRatio()));
                    hi = Math.max(hi, Math.max(e.upper(), e.hazardRatio()));
                }
            }
        }
        double min = TICKS[0];
        for (double tick : TICKS) {
            if (tick <= lo) {
                min = tick;
            }
        }
        double max = TICKS[TICKS.length - 1];
        for (int i = TICKS.length - 1; i >= 0; i--) {
            if (TICKS[i] >= hi) {
                max = TICKS[i];
            }
        }
        // A lone HR of 1 still gets an axis with room on both sides.
        return new double[] {Math.min(min, 0.5), Math.max(max, 2)};
    }

    private static String label(double tick) {
        return tick >= 1 ? Integer.toString((int) tick) : Double.toString(tick);
    }

    private record Axis(double min, double max) {
        double x(double hr) {
            return PLOT_LEFT + (Math.log(hr) - Math.log(min)) / (Math.log(max) - Math.log(min)) * PLOT_WIDTH;
        }

        double clamp(double hr) {
            return Math.max(min, Math.min(max, hr));
        }
    }
}
