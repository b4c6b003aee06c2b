package org.nbregistry.episode;

import org.nbregistry.support.vocabulary.ClinicalCodes;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores enumerations by their lower-case codes, the same codes the API and the events use. */
final class CodedEnumConverters {

    private CodedEnumConverters() {
    }

    @Converter
    static class EpisodeTypeConverter implements AttributeConverter<EpisodeType, String> {
        @Override
        public String convertToDatabaseColumn(EpisodeType value) {
            return value == null ? null : value.code();
        }

        @Override
        public EpisodeType convertToEntityAttribute(String code) {
            return code == null ? null : EpisodeType.valueOf(code.toUpperCase());
        }
    }

    @Converter
    static class VitalStatusConverter implements AttributeConverter<VitalStatus, String> {
        @Override
        public String convertToDatabaseColumn(VitalStatus value) {
            return value == null ? null : value.code();
        }

        @Override
        public VitalStatus convertToEntityAttribute(String code) {
            return code == null ? null : VitalStatus.valueOf(code.toUpperCase());
        }
    }

    @Converter
    static class InssStageConverter implements AttributeConverter<ClinicalCodes.InssStage, String> {
        @Override
        public String convertToDatabaseColumn(ClinicalCodes.InssStage value) {
            return value == null ? null : value.code();
        }

        @Override
        public ClinicalCodes.InssStage convertToEntityAttribute(String code) {
            return code == null ? null : ClinicalCodes.InssStage.ofCode(code);
        }
    }
}
