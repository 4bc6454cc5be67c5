package dev.warden.compliance;

import static java.util.Objects.requireNonNull;

/**
 * What the report states about the operator, in the operator's words: the ledger does not know the retention
 * configuration, so it is passed in and printed as given.
 *
 * @param organisation the organisation named on the report
 * @param retentionSettings e.g. "encrypted bodies kept 30 days; ledger entries kept 7 years"
 * @param erasureSettings e.g. "subject erasure by crypto-shredding via POST /admin/api/erasures"
 */
public record ReportSettings(String organisation, String retentionSettings, String erasureSettings) {
  public static final String NOT_STATED = "not stated";

  public ReportSettings {
    requireNonNull(organisation, "organisation");
    requireNonNull(retentionSettings, "retentionSettings");
    requireNonNull(erasureSettings, "erasureSettings");
    if (organisation.isBlank()) {
      throw new IllegalArgumentException("organisation is blank (expected: a name)");
    }
  }

  public static ReportSettings of(String organisation) {
    return new ReportSettings(organisation, NOT_STATED, NOT_STATED);
  }
}
