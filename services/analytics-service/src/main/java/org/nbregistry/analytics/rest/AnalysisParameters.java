package org.nbregistry.analytics.rest;

import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.dataset.Factors;
import org.nbregistry.analytics.plot.TimeUnit;
import org.nbregistry.analytics.statistics.CohortFilter;
import org.nbregistry.analytics.statistics.Scope;
import org.nbregistry.analytics.survival.ConfType;
import org.nbregistry.analytics.survival.Cox;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the analysts' query parameters, each into its domain value or an {@link InvalidParameterException} that
 * names the parameter and the rule. Parameters are taken as text so that every mistake gets the same kind of answer.
 */
final class AnalysisParameters {

    static final String DEFAULT_TIMES = "365,730,1095";

    static final String AS_OF = "Data cut-off (YYYY-MM-DD): the statistics for the data known by that date, by clinical "
            + "dates (the registry's conventional data cut-off). Episodes, deaths, second malignancies and treatments dated "
            + "after it are left out, and follow-up beyond it is censored at it: an EFS or OS event after the cut-off counts as "
            + "censored at the cut-off. A correction recorded later about an earlier date is included, so this is today's "
            + "knowledge of the period up to the cut-off; the analysis records carry no recording time, so a cut-off on when "
            + "data were recorded is not offered. Computed from scratch over the records.";
    static final String LANDMARK = "Landmark day (whole days from the episode date) for comparisons by something reached "
            + "after the episode date, such as response: only episodes still at risk after that day are kept (their event "
            + "or censoring for the endpoint comes after it; one on the landmark day itself leaves the episode out), and "
            + "time is counted from the landmark. Computed from scratch over the records.";
    private static final Pattern SITE = Pattern.compile("^[A-Z0-9][A-Z0-9_-]{0,31}$");
    private static final Set<String> EPISODE_TYPES = Set.of("refractory", "relapse", "progression");
    private static final int MAX_TIMES = 20;
    private static final int MAX_DAY = 36_525;

    private AnalysisParameters() {
    }

    static Endpoint endpoint(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidParameterException("endpoint", "required", "endpoint is required: EFS or OS");
        }
        try {
            return Endpoint.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("endpoint", "enum", "endpoint '" + value + "' is not one of EFS, OS");
        }
    }

    /** The factor's name, or null for no grouping; an unknown factor is refused. */
    static String factor(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return Factors.byName(value.trim()).map(Factors.Factor::name).orElseThrow(() -> new InvalidParameterException(parameter, "enum",
                "factor '" + value + "' is not one of " + Factors.all().stream().map(Factors.Factor::name).collect(Collectors.joining(", "))));
    }

    static CohortFilter cohort(List<String> sites, String from, String to, List<String> episodeTypes, String firstEpisodesOnly) {
        Set<String> siteSet = values(sites);
        siteSet.stream().filter(s -> !SITE.matcher(s).matches()).findFirst().ifPresent(s -> {
            throw new InvalidParameterException("site", "pattern", "site '" + s + "' is not a site code (A-Z, 0-9, _ and -, up to 32)");
        });
        Set<String> types = values(episodeTypes);
        types.stream().filter(t -> !EPISODE_TYPES.contains(t)).findFirst().ifPresent(t -> {
            throw new InvalidParameterException("episodeType", "enum", "episodeType '" + t + "' is not one of progression, refractory, relapse");
        });
        LocalDate start = date("from", from);
        LocalDate end = date("to", to);
        if (start != null && end != null && start.isAfter(end)) {
            throw new InvalidParameterException("from", "range", "from " + start + " is after to " + end);
        }
        return new CohortFilter(siteSet, start, end, types, bool("firstEpisodesOnly", firstEpisodesOnly));
    }

    static ConfType confType(String value) {
        if (value == null || value.isBlank()) {
            return ConfType.LOG;
        }
        try {
            return ConfType.fromRName(value.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("confType", "enum", "confType '" + value + "' is not one of log, log-log, plain");
        }
    }

    static double confLevel(String value) {
        if (value == null || value.isBlank()) {
            return 0.95;
        }
        double level;
        try {
            level = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException("confLevel", "format", "confLevel '" + value + "' is not a number");
        }
        if (!(level > 0 && level < 1)) {
            throw new InvalidParameterException("confLevel", "range", "confLevel must lie strictly between 0 and 1, not " + value);
        }
        return level;
    }

    /** Days at which survival is estimated: whole days, ascending order not required, at most 20. */
    static double[] times(String value) {
        String text = value == null || value.isBlank() ? DEFAULT_TIMES : value;
        String[] parts = text.split(",");
        if (parts.length > MAX_TIMES) {
            throw new InvalidParameterException("times", "size", "at most " + MAX_TIMES + " times, not " + parts.length);
        }
        return Arrays.stream(parts).mapToDouble(p -> {
            int day;
            try {
                day = Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                throw new InvalidParameterException("times", "format", "time '" + p.trim() + "' is not a whole number of days");
            }
            if (day < 0 || day > MAX_DAY) {
                throw new InvalidParameterException("times", "range", "time " + day + " is outside 0.." + MAX_DAY + " days");
            }
            return day;
        }).toArray();
    }

    static final String DEFAULT_PROBS = "0.25,0.5,0.75";
    private static final int MAX_TERMS = 8;

    /** Probabilities of the survival-time quantiles (R's quantile(fit, probs)): each strictly between 0 and 1, at most 20. */
    static double[] probs(String value) {
        String text = value == null || value.isBlank() ? DEFAULT_PROBS : value;
        String[] parts = text.split(",");
        if (parts.length > MAX_TIMES) {
            throw new InvalidParameterException("probs", "size", "at most " + MAX_TIMES + " probabilities, not " + parts.length);
        }
        return Arrays.stream(parts).mapToDouble(p -> {
            double prob;
            try {
                prob = Double.parseDouble(p.trim());
            } catch (NumberFormatException e) {
                throw new InvalidParameterException("probs", "format", "probability '" + p.trim() + "' is not a number");
            }
            if (!(prob > 0 && prob < 1)) {
                throw new InvalidParameterException("probs", "range", "probability " + p.trim() + " must lie strictly between 0 and 1");
            }
            return prob;
        }).toArray();
    }

    /** RMST horizon in days (R's rmean), null when not asked; it must be positive. */
    static Integer tau(String value) {
        Integer tau = day("tau", value);
        if (tau != null && tau == 0) {
            throw new InvalidParameterException("tau", "range", "tau must be at least 1 day");
        }
        return tau;
    }

    /** The G-rho family's rho (R's survdiff rho): 0 log-rank (default), 1 Peto–Peto; from 0 to 10. */
    static double rho(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        double rho;
        try {
            rho = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException("rho", "format", "rho '" + value + "' is not a number");
        }
        if (!(rho >= 0 && rho <= 10)) {
            throw new InvalidParameterException("rho", "range", "rho must lie between 0 and 10, not " + value);
        }
        return rho;
    }

    /** A stratifying factor for tests and models: a known factor, not one already compared or modelled. */
    static String strata(String value, List<String> used, String usedParameter) {
        String strata = factor("strata", value);
        if (strata != null && used.contains(strata)) {
            throw new InvalidParameterException("strata", "distinct", "strata '" + strata + "' is also in " + usedParameter
                    + "; a factor cannot stratify itself");
        }
        return strata;
    }

    /** The factors of a model, comma-separated, in order: each known, none twice, 1 to 8 of them. */
    static List<String> terms(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidParameterException("terms", "required", "terms is required: one or more factors, comma-separated");
        }
        List<String> terms = Arrays.stream(value.split(",")).map(String::trim).filter(t -> !t.isEmpty())
                .map(t -> factor("terms", t)).toList();
        if (terms.isEmpty()) {
            throw new InvalidParameterException("terms", "required", "terms is required: one or more factors, comma-separated");
        }
        if (terms.size() > MAX_TERMS) {
            throw new InvalidParameterException("terms", "size", "at most " + MAX_TERMS + " terms, not " + terms.size());
        }
        if (new LinkedHashSet<>(terms).size() != terms.size()) {
            throw new InvalidParameterException("terms", "unique", "a factor is listed twice in terms '" + value + "'");
        }
        return terms;
    }

    /** The interaction a:b of two different factors among the terms, or null. */
    static List<String> interaction(String value, List<String> terms) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String[] parts = value.trim().split(":");
        if (parts.length != 2) {
            throw new InvalidParameterException("interaction", "format", "interaction '" + value + "' is not of the form a:b");
        }
        List<String> pair = Arrays.stream(parts).map(p -> factor("interaction", p.trim())).toList();
        if (pair.get(0) == null || pair.get(1) == null || pair.get(0).equals(pair.get(1))) {
            throw new InvalidParameterException("interaction", "format", "interaction '" + value + "' needs two different factors");
        }
        if (!terms.containsAll(pair)) {
            throw new InvalidParameterException("interaction", "terms", "both factors of interaction '" + value
                    + "' must be among the terms (R's a + b + a:b)");
        }
        return pair;
    }

    /** Tie handling of a Cox model: efron (default, R's) or breslow. */
    static Cox.Ties ties(String value) {
        if (value == null || value.isBlank()) {
            return Cox.Ties.EFRON;
        }
        try {
            return Cox.Ties.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("ties", "enum", "ties '" + value + "' is not one of efron, breslow");
        }
    }

    /** The data cut-off (asOf) and the landmark day, each absent when not given. */
    static Scope scope(String asOf, String landmark) {
        return new Scope(date("asOf", asOf), day("landmark", landmark));
    }

    static LocalDate asOf(String value) {
        return date("asOf", value);
    }

    /** cluster=patient asks for standard errors clustered by patient; absent or "none" for model-based ones. */
    static boolean clusterByPatient(String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("none")) {
            return false;
        }
        if (value.trim().equalsIgnoreCase("patient")) {
            return true;
        }
        throw new InvalidParameterException("cluster", "enum", "cluster '" + value + "' is not one of patient, none");
    }

    private static Integer day(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        int day;
        try {
            day = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(parameter, "format", parameter + " '" + value.trim() + "' is not a whole number of days");
        }
        if (day < 0 || day > MAX_DAY) {
            throw new InvalidParameterException(parameter, "range", parameter + " " + day + " is outside 0.." + MAX_DAY + " days");
        }
        return day;
    }

    /** How an answer is represented: {@code format} decides, because image tags and read.csv(url) cannot set Accept. */
    enum Format {
        JSON, SVG, CSV
    }

    static Format format(String value) {
        if (value == null || value.isBlank()) {
            return Format.JSON;
        }
        try {
            return Format.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("format", "enum", "format '" + value + "' is not one of json, svg, csv");
        }
    }

    /** The time axis of format=svg: days (default), months or years, spelt exactly. */
    static TimeUnit timeUnit(String value) {
        if (value == null) {
            return TimeUnit.DAYS;
        }
        for (TimeUnit unit : TimeUnit.values()) {
            if (unit.code().equals(value)) {
                return unit;
            }
        }
        throw new InvalidParameterException("timeUnit", "enum", "timeUnit '" + value + "' is not one of days, months, years");
    }

    static boolean flag(String parameter, String value) {
        return bool(parameter, value);
    }

    /** Repeated parameters and comma-separated lists alike. */
    private static Set<String> values(List<String> raw) {
        Set<String> out = new LinkedHashSet<>();
        if (raw != null) {
            raw.forEach(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add));
        }
        return out;
    }

    private static LocalDate date(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(parameter, "format", parameter + " '" + value + "' is not a date (YYYY-MM-DD)");
        }
    }

    private static boolean bool(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidParameterException(parameter, "format", parameter + " '" + value + "' is not true or false");
        };
    }
}
