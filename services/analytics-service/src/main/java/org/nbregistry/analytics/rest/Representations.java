package org.nbregistry.analytics.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.function.Supplier;

/** One answer as JSON, SVG or CSV; only the representation asked for is rendered. */
final class Representations {

    static final String SVG = "image/svg+xml";
    static final String CSV = "text/csv";

    private Representations() {
    }

    /** @param fileName the CSV download's name without extension; it carries the dataset version, as the CSV itself cannot */
    static Response respond(AnalysisParameters.Format format, Object json, Supplier<String> svg, Supplier<String> csv, String fileName) {
        return switch (format) {
            case JSON -> Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build();
            case SVG -> Response.ok(svg.get(), SVG + ";charset=UTF-8").build();
            case CSV -> Response.ok(csv.get(), CSV + ";charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"" + fileName + ".csv\"").build();
        };
    }
}
