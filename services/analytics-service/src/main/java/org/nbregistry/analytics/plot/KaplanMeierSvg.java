package org.nbregistry.analytics.plot;

import org.nbregistry.analytics.plot.KaplanMeierChart.Curve;
import org.nbregistry.analytics.plot.KaplanMeierChart.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link KaplanMeierChart} as SVG the way survival papers do: one step function per group, a tick where an
 * episode was censored, optionally the pointwise confidence band, and under the time axis the numbers at risk at
 * each axis tick.
 *
 * <p>Every drawn curve is a {@code path} of class {@code km-curve} with {@code data-group}; every number at risk a
 * {@code text} of class {@code at-risk} with {@code data-group} and {@code data-day}, so that tests and scripts can
 * read the figure back.
 */
public final class KaplanMeierSvg {

    private static final int WIDTH = 860;
    private static final int LEFT = 160;
    private static final int RIGHT = 180;
    private static final int MARGIN = 16;
    private static final int TOP_TITLE = 26;
    private static final int TITLE_SIZE = 16;
    private static final int TITLE_LINE = 20;
    private static final int FONT_SIZE = 12;
    private static final int LINE = 16;
    private static final int PLOT_HEIGHT = 300;
    private static final int ROW = 18;
    private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    private static final int MAX_INTERVALS = 6;

    /** The time axis: tick positions in days and their labels in the chart's unit. */
    record Axis(int[] days, int[] labels, String title) {
    }

    private KaplanMeierSvg() {
    }

    public static String render(KaplanMeierChart chart) {
        double textWidth = WIDTH - 2 * MARGIN;
        int titleLines = Svg.wrap(chart.title(), textWidth, TITLE_SIZE).size();
        int subtitleLines = lines(chart.subtitle(), textWidth);
        List<String> footer = new ArrayList<>();
        if (chart.testResult() != null) {
            footer.add(chart.testResult());
        }
        footer.addAll(chart.notes());
        int top = TOP_TITLE + TITLE_LINE * (titleLines - 1) + LINE * subtitleLines + 12;
        int plotBottom = top + PLOT_HEIGHT;
        int riskTop = plotBottom + 62;
        int afterRisk = riskTop + ROW * Math.max(1, chart.curves().size()) + 8;
        int height = afterRisk + LINE * lines(footer, textWidth) + 12;

        Axis ticks = axis(chart.curves().stream().mapToInt(Curve::lastDay).max().orElse(0), chart.timeUnit());
        double xMax = ticks.days()[ticks.days().length - 1];
        Scale scale = new Scale(LEFT, top, PLOT_WIDTH, PLOT_HEIGHT, xMax);

        Svg svg = new Svg(WIDTH, height, chart.title(), String.join("; ", chart.subtitle()));
        svg.wrappedText(MARGIN, TOP_TITLE, TITLE_LINE, textWidth, TITLE_SIZE, chart.title(),
                "font-size", Integer.toString(TITLE_SIZE), "font-weight", "bold", "class", "title");
        int y = TOP_TITLE + TITLE_LINE * (titleLines - 1) + LINE;
        for (String line : chart.subtitle()) {
            y += LINE * svg.wrappedText(MARGIN, y, LINE, textWidth, FONT_SIZE, line, "fill", "#444444", "class", "subtitle");
        }

        axes(svg, scale, ticks, chart.yLabel());
        for (int g = 0; g < chart.curves().size(); g++) {
            curve(svg, scale, chart.curves().get(g), g, chart.band());
        }
        legend(svg, chart.curves(), top);
        numbersAtRisk(svg, scale, chart.curves(), ticks, riskTop);

        y = afterRisk + LINE;
        if (chart.testResult() != null) {
            y += LINE * svg.wrappedText(MARGIN, y, LINE, textWidth, FONT_SIZE, chart.testResult(), "class", "test-result", "font-weight", "bold");
        }
        for (String note : chart.notes()) {
            y += LINE * svg.wrappedText(MARGIN, y, LINE, textWidth, FONT_SIZE, note, "class", "note", "fill", "#444444");
        }
        return svg.finish();
    }

    /** How many lines these texts take, each wrapped to the width. */
    private static int lines(List<String> texts, double width) {
        return texts.stream().mapToInt(t -> Svg.wrap(t, width, FONT_SIZE).size()).sum();
    }

    /**
     * Axis ticks from 0 on whole units: the smallest of the unit's spacings that needs at most {@value #MAX_INTERVALS}
     * intervals to reach the last day, so that ticks fall on days, months or years clinicians quote.
     */
    static Axis axis(int lastDay, TimeUnit unit) {
        double last = Math.max(1e-9, unit.inUnits(Math.max(1, lastDay)));
        int[] steps = unit.steps();
        int step = steps[steps.length - 1];
        for (int candidate : steps) {
            if (Math.ceil(last / candidate) <= MAX_INTERVALS) {
                step = candidate;
                break;
            }
        }
        int intervals = (int) Math.max(1, Math.ceil(last / step));
        int[] days = new int[intervals + 1];
        int[] labels = new int[intervals + 1];
        for (int i = 0; i <= intervals; i++) {
            labels[i] = i * step;
            days[i] = (int) Math.round(unit.days(labels[i]));
        }
        return new Axis(days, labels, unit.axisLabel());
    }

    private record Scale(double left, double top, double width, double height, double xMax) {
        double x(double day) {
            return left + day / xMax * width;
        }

        double y(double survival) {
            return top + (1 - survival) * height;
        }

        double bottom() {
            return top + height;
        }
    }

    private static void axes(Svg svg, Scale s, Axis ticks, String yLabel) {
        svg.open("g", "class", "axes", "stroke", "#000000", "stroke-width", "1");
        svg.line(s.left(), s.top(), s.left(), s.bottom());
        svg.line(s.left(), s.bottom(), s.left() + s.width(), s.bottom());
        for (int i = 0; i <= 5; i++) {
            double p = i / 5.0;
            svg.line(s.left() - 5, s.y(p), s.left(), s.y(p));
            if (i > 0) {
                svg.line(s.left(), s.y(p), s.left() + s.width(), s.y(p), "stroke", "#e5e5e5");
            }
        }
        for (int tick : ticks.days()) {
            svg.line(s.x(tick), s.bottom(), s.x(tick), s.bottom() + 5);
        }
        svg.close("g");
        svg.open("g", "class", "axis-labels", "fill", "#000000");
        for (int i = 0; i <= 5; i++) {
            svg.text(s.left() - 8, s.y(i / 5.0) + 4, String.format(Locale.ROOT, "%.1f", i / 5.0), "text-anchor", "end");
        }
        for (int i = 0; i < ticks.days().length; i++) {
            svg.text(s.x(ticks.days()[i]), s.bottom() + 18, Integer.toString(ticks.labels()[i]), "text-anchor", "middle", "class", "tick");
        }
        svg.text(s.left() + s.width() / 2, s.bottom() + 36, ticks.title(), "text-anchor", "middle", "class", "time-axis");
        double midY = s.top() + s.height() / 2;
        svg.text(s.left() - 44, midY, yLabel, "text-anchor", "middle",
                "transform", "rotate(-90 " + Svg.num(s.left() - 44) + " " + Svg.num(midY) + ")");
        svg.close("g");
    }

    private static void curve(Svg svg, Scale s, Curve curve, int index, boolean band) {
        String colour = Svg.colour(index);
        svg.open("g", "class", "group", "data-group", curve.label());
        if (band) {
            String d = bandPath(s, curve.steps());
            if (d != null) {
                svg.empty("path", "class", "ci-band", "d", d, "fill", colour, "fill-opacity", "0.15", "stroke", "none");
            }
        }
        svg.empty("path", "class", "km-curve", "data-group", curve.label(), "d", stepPath(s, curve.steps()), "fill", "none",
                "stroke", colour, "stroke-width", "2", "stroke-dasharray", Svg.dash(index));
        StringBuilder marks = new StringBuilder();
        for (Step step : curve.steps()) {
            if (step.censored() > 0) {
                marks.append('M').append(Svg.num(s.x(step.day()))).append(' ').append(Svg.num(s.y(step.survival()) - 5)).append("v10");
            }
        }
        if (!marks.isEmpty()) {
            svg.empty("path", "class", "censor-marks", "data-group", curve.label(), "d", marks.toString(), "stroke", colour,
                    "stroke-width", "1.5", "fill", "none");
        }
        svg.close("g");
    }

    /** S = 1 from day 0, then at each step: across to its day at the previous level, down to the new one. */
    private static String stepPath(Scale s, List<Step> steps) {
        StringBuilder d = new StringBuilder("M").append(Svg.num(s.x(0))).append(' ').append(Svg.num(s.y(1)));
        for (Step step : steps) {
            d.append('H').append(Svg.num(s.x(step.day()))).append('V').append(Svg.num(s.y(step.survival())));
        }
        return d.toString();
    }

    /**
     * The band as one closed step polygon: along the upper limits, back along the lower ones. It stops before the
     * first step whose limits are undefined (R's NA, e.g. once S reaches 0), as R's plot does.
     */
    private static String bandPath(Scale s, List<Step> steps) {
        List<double[]> upper = new ArrayList<>();
        List<double[]> lower = new ArrayList<>();
        upper.add(new double[] {0, 1});
        lower.add(new double[] {0, 1});
        double u = 1;
        double l = 1;
        for (Step step : steps) {
            if (step.lower() == null || step.upper() == null) {
                break;
            }
            upper.add(new double[] {step.day(), u});
            lower.add(new double[] {step.day(), l});
            u = step.upper();
            l = step.lower();
            upper.add(new double[] {step.day(), u});
            lower.add(new double[] {step.day(), l});
        }
        if (upper.size() < 2) {
            return null;
        }
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < upper.size(); i++) {
            d.append(i == 0 ? 'M' : 'L').append(Svg.num(s.x(upper.get(i)[0]))).append(' ').append(Svg.num(s.y(upper.get(i)[1])));
        }
        for (int i = lower.size() - 1; i >= 0; i--) {
            d.append('L').append(Svg.num(s.x(lower.get(i)[0]))).append(' ').append(Svg.num(s.y(lower.get(i)[1])));
        }
        return d.append('Z').toString();
    }

    private static void legend(Svg svg, List<Curve> curves, int top) {
        double x = LEFT + PLOT_WIDTH + 20;
        svg.open("g", "class", "legend");
        for (int g = 0; g < curves.size(); g++) {
            double y = top + 12 + g * ROW;
            svg.line(x, y - 4, x + 22, y - 4, "stroke", Svg.colour(g), "stroke-width", "2", "stroke-dasharray", Svg.dash(g));
            svg.open("text", "x", Svg.num(x + 28), "y", Svg.num(y));
            svg.element("title", curves.get(g).label());
            svg.element("tspan", Svg.shorten(curves.get(g).label(), 22));
            svg.close("text");
        }
        svg.close("g");
    }

    private static void numbersAtRisk(Svg svg, Scale s, List<Curve> curves, Axis ticks, int top) {
        svg.open("g", "class", "numbers-at-risk");
        svg.text(16, top - ROW, "Number at risk", "font-weight", "bold");
        for (int g = 0; g < curves.size(); g++) {
            Curve curve = curves.get(g);
            double y = top + g * ROW;
            svg.text(LEFT - 28, y, Svg.shorten(curve.label(), 18), "text-anchor", "end", "fill", Svg.colour(g));
            for (int tick : ticks.days()) {
                svg.text(s.x(tick), y, Integer.toString(curve.atRisk(tick)), "text-anchor", "middle", "class", "at-risk",
                        "data-group", curve.label(), "data-day", Integer.toString(tick));
            }
        }
        svg.close("g");
    }
}
