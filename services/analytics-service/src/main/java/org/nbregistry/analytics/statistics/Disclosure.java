package org.nbregistry.analytics.statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Disclosure control for counts of episodes or patients. A count from 1 to below the threshold is withheld (primary
 * suppression; 0 is shown, it describes nobody). Within a distribution whose total is shown, a single withheld cell
 * could be recovered by subtraction, so the smallest shown non-zero cell is withheld too (complementary suppression).
 */
public final class Disclosure {

    /**
     * One count as published.
     *
     * @param count   null when suppressed
     * @param percent of the distribution's denominator, one decimal; null when suppressed
     */
    public record DisclosedCount(String level, boolean suppressed, String suppressionReason, Integer count, Double percent) {
    }

    private Disclosure() {
    }

    static String belowThreshold(int minGroupSize) {
        return "fewer than " + minGroupSize + " (disclosure control)";
    }

    static String complementary() {
        return "withheld so that a suppressed count cannot be worked out from the total (disclosure control)";
    }

    /** A count on its own (a total): withheld when it is from 1 to below the threshold. */
    public static DisclosedCount single(String level, int count, int minGroupSize) {
        return isSmall(count, minGroupSize) ? withheld(level, belowThreshold(minGroupSize)) : shown(level, count, null);
    }

    /**
     * The cells of one distribution, in the given order, with percentages of {@code denominator}. The cells are taken
     * to sum to a published total; a breakdown whose cells overlap (patients per site: a patient can be seen at two
     * sites) is treated the same way, which errs on the side of withholding.
     */
    public static List<DisclosedCount> distribution(Map<String, Integer> counts, int denominator, int minGroupSize) {
        List<String> levels = new ArrayList<>(counts.keySet());
        boolean[] hidden = new boolean[levels.size()];
        int hiddenCount = 0;
        for (int i = 0; i < levels.size(); i++) {
            hidden[i] = isSmall(counts.get(levels.get(i)), minGroupSize);
            hiddenCount += hidden[i] ? 1 : 0;
        }
        int complement = -1;
        if (hiddenCount == 1) {
            for (int i = 0; i < levels.size(); i++) {
                int c = counts.get(levels.get(i));
                if (!hidden[i] && c > 0 && (complement < 0 || c < counts.get(levels.get(complement)))) {
                    complement = i;
                }
            }
        }
        List<DisclosedCount> cells = new ArrayList<>(levels.size());
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (hidden[i]) {
                cells.add(withheld(level, belowThreshold(minGroupSize)));
            } else if (i == complement) {
                cells.add(withheld(level, complementary()));
            } else {
                cells.add(shown(level, counts.get(level), denominator));
            }
        }
        return List.copyOf(cells);
    }

    /**
     * Which groups of one grouping (the levels of a factor, each a number of episodes) are withheld, and why: a group
     * with fewer episodes than the threshold (primary), and, when that is the only one, the smallest other group
     * too, because the cohort's total less the shown groups (and the episodes without a level) would give the hidden
     * group's numbers (complementary). Two or more groups withheld give only their sum.
     *
     * @return one reason per group, null for a group that is shown
     */
    public static String[] groups(int[] episodes, int minGroupSize) {
        String[] reasons = new String[episodes.length];
        int primary = 0;
        for (int g = 0; g < episodes.length; g++) {
            if (episodes[g] < minGroupSize) {
                reasons[g] = smallGroup(minGroupSize);
                primary++;
            }
        }
        if (primary == 1) {
            int complement = -1;
            for (int g = 0; g < episodes.length; g++) {
                if (reasons[g] == null && (complement < 0 || episodes[g] < episodes[complement])) {
                    complement = g;
                }
            }
            if (complement >= 0) {
                reasons[complement] = COMPLEMENTARY_GROUP;
            }
        }
        return reasons;
    }

    /** A group below the threshold. */
    public static String smallGroup(int minGroupSize) {
        return "fewer than " + minGroupSize + " episodes (disclosure control)";
    }

    /** The reason of a group withheld only so that another withheld group cannot be worked out by subtraction. */
    public static final String COMPLEMENTARY_GROUP = "withheld so that the numbers of a group with fewer episodes than the "
            + "threshold cannot be worked out from the cohort's and the other groups' (disclosure control)";

    private static boolean isSmall(int count, int minGroupSize) {
        return count > 0 && count < minGroupSize;
    }

    private static DisclosedCount withheld(String level, String reason) {
        return new DisclosedCount(level, true, reason, null, null);
    }

    private static DisclosedCount shown(String level, int count, Integer denominator) {
        Double percent = denominator == null || denominator == 0 ? null : Math.round(1000.0 * count / denominator) / 10.0;
        return new DisclosedCount(level, false, null, count, percent);
    }
}
