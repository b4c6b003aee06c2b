package org.nbregistry.analytics.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;

class SharedTextTest {

    /** A string equal to {@code text} but never the same instance, as a decoder makes one. */
    private static String copy(String text) {
        return new String(text.toCharArray());
    }

    @Test
    void equalTextsOfTwoHistoriesAreOneInstance() {
        EpisodeFacts first = new EpisodeFacts("e1", copy("S01"), "EP-1", copy("relapse"), LocalDate.of(2020, 1, 1), 1,
                Map.of(copy("mycnStatus"), copy("amplified")));
        EpisodeFacts second = new EpisodeFacts("e2", copy("S01"), "EP-2", copy("relapse"), LocalDate.of(2021, 1, 1), 1,
                Map.of(copy("mycnStatus"), copy("amplified")));

        assertSame(first.site(), second.site());
        assertSame(first.episodeType(), second.episodeType());
        String name = first.attributes().keySet().iterator().next();
        assertSame(name, second.attributes().keySet().iterator().next());
        assertSame(first.attributes().get(name), second.attributes().get(name));
        assertEquals(Map.of("mycnStatus", "amplified"), second.attributes(), "the same content");
        assertThrows(UnsupportedOperationException.class, () -> second.attributes().put("x", "y"));
    }

    @Test
    void beyondItsBoundATextIsKeptAsItCame() {
        for (int i = 0; i < SharedText.MAX_TEXTS; i++) {
            SharedText.of("free text " + i);
        }
        String late = copy("a text first seen after the bound");
        assertSame(late, SharedText.of(late));
        assertNotSame(late, SharedText.of(copy(late)), "not retained");
        assertEquals(late, SharedText.of(copy(late)));
    }
}
