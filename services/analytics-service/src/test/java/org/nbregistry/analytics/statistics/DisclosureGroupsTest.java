package org.nbregistry.analytics.statistics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class DisclosureGroupsTest {

    private static final String SMALL = Disclosure.smallGroup(5);
    private static final String COMPLEMENT = Disclosure.COMPLEMENTARY_GROUP;

    @Test
    void aSingleSmallGroupTakesTheNextSmallestWithIt() {
        assertArrayEquals(new String[] {SMALL, null, COMPLEMENT}, Disclosure.groups(new int[] {3, 40, 16}, 5));
        assertArrayEquals(new String[] {COMPLEMENT, SMALL}, Disclosure.groups(new int[] {60, 4}, 5), "two levels: both go");
        assertArrayEquals(new String[] {SMALL, COMPLEMENT, null}, Disclosure.groups(new int[] {1, 5, 5}, 5), "a tie: the first");
    }

    @Test
    void twoSmallGroupsOrNoneNeedNothingMore() {
        assertArrayEquals(new String[] {SMALL, SMALL, null}, Disclosure.groups(new int[] {3, 2, 40}, 5), "only their sum is known");
        assertArrayEquals(new String[] {null, null}, Disclosure.groups(new int[] {5, 30}, 5));
        assertArrayEquals(new String[] {SMALL}, Disclosure.groups(new int[] {4}, 5), "nothing else to withhold");
        assertArrayEquals(new String[0], Disclosure.groups(new int[0], 5));
    }
}
