package org.nbregistry.intake.fhir;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.util.ArrayList;
import java.util.List;

/** What is wrong with a bundle, each issue at its FHIRPath location; answered together as one OperationOutcome. */
final class Issues {

    /** @param rule the registry's stable name of the broken rule, in issue.details.text */
    record Issue(IssueType type, String expression, String rule, String diagnostics) {
    }

    private final List<Issue> found = new ArrayList<>();

    void add(IssueType type, String expression, String rule, String diagnostics) {
        found.add(new Issue(type, expression, rule, diagnostics));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    List<Issue> all() {
        return List.copyOf(found);
    }

    OperationOutcome toOutcome() {
        OperationOutcome outcome = new OperationOutcome();
        for (Issue issue : found) {
            outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(issue.type()).setDiagnostics(issue.diagnostics())
                    .addExpression(issue.expression()).getDetails().setText(issue.rule());
        }
        return outcome;
    }
}
