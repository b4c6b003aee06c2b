package org.nbregistry.support.vocabulary;

import org.nbregistry.support.vocabulary.Agent.AgentClass;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agents a treatment component may name: the one place the registry's agent codes live. Intake accepts only
 * these codes; episode-service puts name and NCIt code on its treatment events, so analyses (e.g. "irinotecan or
 * topotecan used") work from codes, never from regimen labels. NCIt codes are PCDC's (DOMAIN.md); agents whose code
 * is still to be chosen carry their name only.
 */
public final class AgentVocabulary {

    private static final Map<String, Agent> BY_CODE = new LinkedHashMap<>();

    static {
        // Cytotoxics, with PCDC NCIt codes.
        add("irinotecan", "Irinotecan", "C62040", AgentClass.CYTOTOXIC);
        add("topotecan", "Topotecan", "C1413", AgentClass.CYTOTOXIC);
        add("temozolomide", "Temozolomide", "C1244", AgentClass.CYTOTOXIC);
        add("cyclophosphamide", "Cyclophosphamide", "C405", AgentClass.CYTOTOXIC);
        add("etoposide", "Etoposide", "C491", AgentClass.CYTOTOXIC);
        add("carboplatin", "Carboplatin", "C1282", AgentClass.CYTOTOXIC);
        add("vincristine", "Vincristine", "C933", AgentClass.CYTOTOXIC);
        add("doxorubicin", "Doxorubicin", "C456", AgentClass.CYTOTOXIC);
        add("ifosfamide", "Ifosfamide", "C564", AgentClass.CYTOTOXIC);
        add("busulfan", "Busulfan", "C321", AgentClass.CYTOTOXIC);
        add("melphalan", "Melphalan", "C633", AgentClass.CYTOTOXIC);
        add("thiotepa", "Thiotepa", "C875", AgentClass.CYTOTOXIC);
        add("isotretinoin", "Isotretinoin", "C603", AgentClass.DIFFERENTIATING);
        add("crizotinib", "Crizotinib", "C74061", AgentClass.ALK_INHIBITOR);
        // Codes still to be chosen (NCIt/ATC/RxNorm): named only.
        add("dinutuximab_beta", "Dinutuximab beta", null, AgentClass.ANTI_GD2_ANTIBODY);
        add("dinutuximab", "Dinutuximab", null, AgentClass.ANTI_GD2_ANTIBODY);
        add("naxitamab", "Naxitamab", null, AgentClass.ANTI_GD2_ANTIBODY);
        add("gm_csf", "GM-CSF", null, AgentClass.CYTOKINE);
        add("interleukin_2", "Interleukin-2", null, AgentClass.CYTOKINE);
        add("lorlatinib", "Lorlatinib", null, AgentClass.ALK_INHIBITOR);
        add("ceritinib", "Ceritinib", null, AgentClass.ALK_INHIBITOR);
        add("bevacizumab", "Bevacizumab", null, AgentClass.ANTI_ANGIOGENIC);
        add("i131_mibg", "131I-MIBG", null, AgentClass.RADIOPHARMACEUTICAL);
        add("dfmo", "DFMO (eflornithine)", null, AgentClass.ODC_INHIBITOR);
        add("investigational", "Investigational agent (not in this vocabulary)", null, AgentClass.INVESTIGATIONAL);
    }

    private AgentVocabulary() {
    }

    private static void add(String code, String name, String ncitCode, AgentClass agentClass) {
        BY_CODE.put(code, new Agent(code, name, ncitCode, agentClass));
    }

    public static Optional<Agent> byCode(String code) {
        return Optional.ofNullable(code == null ? null : BY_CODE.get(code));
    }

    public static boolean isKnown(String code) {
        return code != null && BY_CODE.containsKey(code);
    }

    /** Every agent, in a stable order (cytotoxics first). */
    public static List<Agent> all() {
        return List.copyOf(BY_CODE.values());
    }
}
