package org.nbregistry.local.demo;

import org.nbregistry.local.demo.DemoCohort.DemoRecord;
import org.nbregistry.local.demo.DemoCohort.DemoSite;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The demo cohort as one row per episode, in the input format of the R derivation (demo-fixture/derive_demo.R):
 * the raw facts only (dates, categories, agents, MYCN, lymph nodes); R derives EFS, OS and the groups itself.
 */
final class DemoCohortCsv {

    static final String HEADER = "patient,site,episode_date,episode_type,treatments,last_follow_up,death_date,mycn,lymph_nodes,agents,"
            + "trial,biopsy,profiling,metastatic_response";

    private DemoCohortCsv() {
    }

    /** "yes"/"no" from a boolean member of one of the episode's objects (e.g. biopsy.performed). */
    private static String flag(DemoRecord episode, String object, String member) {
        return Boolean.TRUE.equals(((Map<?, ?>) episode.body().get(object)).get(member)) ? "yes" : "no";
    }

    static String of(List<DemoSite> cohort) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (DemoSite site : cohort) {
            Map<String, List<DemoRecord>> byPatient = new LinkedHashMap<>();
            site.records().forEach(r -> byPatient.computeIfAbsent((String) r.body().get("patientPseudonym"), p -> new ArrayList<>()).add(r));
            for (Map.Entry<String, List<DemoRecord>> patient : byPatient.entrySet()) {
                List<DemoRecord> history = patient.getValue();
                DemoRecord end = history.get(history.size() - 1);
                String lastFollowUp = (String) end.body().get("date");
                String death = "dead".equals(end.body().get("vitalStatus")) ? lastFollowUp : "";
                for (DemoRecord episode : history) {
                    if (!episode.recordType().equals("episode")) {
                        continue;
                    }
                    Collection<String> categories = new TreeSet<>();
                    Collection<String> agents = new TreeSet<>();
                    String metastaticResponse = "";
                    for (DemoRecord line : history) {
                        if (line.recordType().equals("response-assessment") && episode.recordId().equals(line.body().get("episodeRecordId"))) {
                            metastaticResponse = (String) line.body().get("metastaticResponse");
                        }
                        if (line.recordType().equals("treatment") && episode.recordId().equals(line.body().get("episodeRecordId"))) {
                            for (Object component : (List<?>) line.body().get("components")) {
                                Map<?, ?> c = (Map<?, ?>) component;
                                categories.add((String) c.get("category"));
                                if (c.get("agents") != null) {
                                    ((List<?>) c.get("agents")).forEach(a -> agents.add((String) a));
                                }
                            }
                        }
                    }
                    csv.append(String.join(",", patient.getKey(), site.site(), (String) episode.body().get("episodeDate"),
                            (String) episode.body().get("episodeType"), String.join(";", categories), lastFollowUp, death,
                            (String) episode.body().get("mycnStatus"), (String) episode.body().get("lymphNodeInvolvement"),
                            String.join(";", agents), flag(episode, "clinicalTrial", "enrolled"), flag(episode, "biopsy", "performed"),
                            flag(episode, "molecularProfiling", "performed"), metastaticResponse)).append('\n');
                }
            }
        }
        return csv.toString();
    }
}
