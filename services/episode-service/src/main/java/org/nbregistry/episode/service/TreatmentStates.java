package org.nbregistry.episode.service;

import org.nbregistry.support.vocabulary.Agent;
import org.nbregistry.support.vocabulary.AgentVocabulary;
import org.nbregistry.episode.TreatmentLine;
import org.nbregistry.episode.TreatmentCategory;
import org.nbregistry.episode.TreatmentComponent;
import org.nbregistry.episode.messaging.Payloads.AgentRef;
import org.nbregistry.episode.messaging.Payloads.ComponentState;
import org.nbregistry.episode.messaging.Payloads.Radiotherapy;
import org.nbregistry.episode.messaging.Payloads.TreatmentState;
import org.nbregistry.episode.messaging.Payloads.TrialEnrolment;

import java.util.Arrays;
import java.util.List;

/** The whole current state of a treatment line, each agent with its name and NCIt code from the vocabulary. */
public final class TreatmentStates {

    private TreatmentStates() {
    }

    /** @param components the line's components in their submitted order */
    public static TreatmentState of(TreatmentLine t, List<TreatmentComponent> components) {
        List<ComponentState> states = components.stream().map(TreatmentStates::of).toList();
        List<TreatmentCategory> categories = components.stream().map(c -> c.category).distinct().toList();
        List<String> agentCodes = components.stream().flatMap(c -> Arrays.stream(c.agents)).distinct().toList();
        return new TreatmentState(t.id, t.site, t.recordId, t.patientPseudonym, t.episodeRecordId,
                categories.isEmpty() ? null : categories.get(0), t.startDate, t.lineNumber, t.intent, t.endDate, t.regimenLabel,
                t.trialEnrolled == null ? null : new TrialEnrolment(t.trialEnrolled, t.trialRegistryId),
                categories, agentCodes, states);
    }

    private static ComponentState of(TreatmentComponent c) {
        List<AgentRef> agents = Arrays.stream(c.agents).map(TreatmentStates::agent).toList();
        Radiotherapy radiotherapy = c.radiotherapyDoseGy == null ? null
                : new Radiotherapy(c.radiotherapyDoseGy, c.radiotherapyFractions, c.radiotherapyModality, c.radiotherapyTarget);
        return new ComponentState(c.category, agents, c.startDate, c.endDate, c.cycles, c.completed, c.notCompletedReason,
                c.surgeryExtent, radiotherapy, c.stemCellRescue);
    }

    private static AgentRef agent(String code) {
        Agent agent = AgentVocabulary.byCode(code)
                .orElseThrow(() -> new IllegalStateException("stored agent " + code + " is not in the vocabulary"));
        return new AgentRef(agent.code(), agent.name(), agent.ncitCode(), agent.agentClass().code());
    }
}
