package org.nbregistry.support.vocabulary;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentVocabularyTest {

    @Test
    void theAgentsCodedByPcdcCarryTheirNcitCodes() {
        Map<String, String> pcdc = Map.ofEntries(Map.entry("irinotecan", "C62040"), Map.entry("topotecan", "C1413"),
                Map.entry("temozolomide", "C1244"), Map.entry("cyclophosphamide", "C405"), Map.entry("etoposide", "C491"),
                Map.entry("carboplatin", "C1282"), Map.entry("vincristine", "C933"), Map.entry("doxorubicin", "C456"),
                Map.entry("ifosfamide", "C564"), Map.entry("busulfan", "C321"), Map.entry("melphalan", "C633"),
                Map.entry("thiotepa", "C875"), Map.entry("isotretinoin", "C603"), Map.entry("crizotinib", "C74061"));
        pcdc.forEach((code, ncit) -> assertEquals(ncit, AgentVocabulary.byCode(code).orElseThrow().ncitCode(), code));
    }

    @Test
    void agentsWithoutAChosenCodeAreNamedOnly() {
        for (String code : new String[]{"dinutuximab_beta", "naxitamab", "lorlatinib", "bevacizumab", "i131_mibg", "gm_csf", "dfmo"}) {
            Agent agent = AgentVocabulary.byCode(code).orElseThrow();
            assertNull(agent.ncitCode(), code);
            assertFalse(agent.name().isBlank(), code);
        }
    }

    @Test
    void codesAndNcitCodesAreUniqueAndCodesAreLowerCaseWords() {
        Set<String> ncit = new HashSet<>();
        for (Agent agent : AgentVocabulary.all()) {
            assertTrue(agent.code().matches("^[a-z0-9_]{2,40}$"), agent.code());
            if (agent.ncitCode() != null) {
                assertTrue(ncit.add(agent.ncitCode()), "duplicate NCIt code " + agent.ncitCode());
            }
        }
        assertEquals(AgentVocabulary.all().size(), AgentVocabulary.all().stream().map(Agent::code).distinct().count());
        assertFalse(AgentVocabulary.isKnown("aspirin"));
        assertFalse(AgentVocabulary.isKnown(null));
    }
}
