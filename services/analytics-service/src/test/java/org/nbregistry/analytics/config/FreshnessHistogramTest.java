package org.nbregistry.analytics.config;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The freshness histogram as Prometheus scrapes it: sub-second ages land in sub-second buckets. */
class FreshnessHistogramTest {

    @Test
    void agesFallIntoTheirBucketsAsPrometheusReadsThem() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var histogram = StatisticsConfiguration.freshnessHistogram(registry, "EpisodeRecorded");
        histogram.record(45);
        histogram.record(700);
        histogram.record(3_000);
        String scraped = registry.scrape();
        String[][] expected = {{"50.0", "1.0"}, {"500.0", "1.0"}, {"1000.0", "2.0"}, {"5000.0", "3.0"}};
        for (String[] bucket : expected) {
            String line = "registry_analytics_freshness_milliseconds_bucket\\{type=\"EpisodeRecorded\",le=\"" + Pattern.quote(bucket[0])
                    + "\",?} " + Pattern.quote(bucket[1]);
            assertTrue(Pattern.compile(line).matcher(scraped).find(), bucket[0] + " ms bucket in\n" + scraped);
        }
    }
}
