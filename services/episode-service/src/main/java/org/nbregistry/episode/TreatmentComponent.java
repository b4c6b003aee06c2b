package org.nbregistry.episode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.nbregistry.episode.TreatmentCodes.NotCompletedReason;
import org.nbregistry.episode.TreatmentCodes.RadiotherapyModality;
import org.nbregistry.episode.TreatmentCodes.RadiotherapyTarget;
import org.nbregistry.episode.TreatmentCodes.StemCellRescue;
import org.nbregistry.episode.TreatmentCodes.SurgeryExtent;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * One component of a treatment line: a category with its coded agents, dates and cycles, and what only some
 * categories have (surgery extent, radiotherapy dose and fractions, stem-cell rescue). Referenced by the line's id
 * rather than mapped as an association: components are always read and replaced together with their line.
 */
@Entity
@Table(name = "treatment_component")
public class TreatmentComponent extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "treatment_id", nullable = false)
    public UUID treatmentId;

    @Column(nullable = false)
    public int position;

    @Convert(converter = TreatmentLine.CategoryConverter.class)
    @Column(nullable = false)
    public TreatmentCategory category;

    @Column(nullable = false)
    public String[] agents = new String[0];

    @Column(name = "start_date")
    public LocalDate startDate;

    @Column(name = "end_date")
    public LocalDate endDate;

    @Column
    public Integer cycles;

    @Column
    public Boolean completed;

    @Enumerated(EnumType.STRING)
    @Column(name = "not_completed_reason")
    public NotCompletedReason notCompletedReason;

    @Enumerated(EnumType.STRING)
    @Column(name = "surgery_extent")
    public SurgeryExtent surgeryExtent;

    @Column(name = "rt_total_dose_gy")
    public Double radiotherapyDoseGy;

    @Column(name = "rt_fractions")
    public Integer radiotherapyFractions;

    @Enumerated(EnumType.STRING)
    @Column(name = "rt_modality")
    public RadiotherapyModality radiotherapyModality;

    @Enumerated(EnumType.STRING)
    @Column(name = "rt_target")
    public RadiotherapyTarget radiotherapyTarget;

    @Enumerated(EnumType.STRING)
    @Column(name = "stem_cell_rescue")
    public StemCellRescue stemCellRescue;

    public static Uni<List<TreatmentComponent>> ofTreatments(Collection<UUID> treatmentIds) {
        return treatmentIds.isEmpty() ? Uni.createFrom().item(List.of())
                : list("treatmentId in ?1 order by treatmentId, position", treatmentIds);
    }

    public static Uni<Long> deleteOfTreatment(UUID treatmentId) {
        return delete("treatmentId", treatmentId);
    }
}
