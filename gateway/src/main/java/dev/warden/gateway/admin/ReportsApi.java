package dev.warden.gateway.admin;

import dev.warden.compliance.ReportManifest;
import dev.warden.compliance.ReportSettings;
import dev.warden.compliance.ReportSigningKeys;
import dev.warden.compliance.Soc2Report;
import dev.warden.compliance.Soc2ReportBuilder;
import dev.warden.compliance.render.ReportRenderer;
import dev.warden.gateway.audit.LedgerRecorder;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.surface.ErrorBodies;
import dev.warden.ledger.checkpoint.SigningKey;
import dev.warden.sso.rbac.Permission;
import dev.warden.sso.web.AccessGuard;
import dev.warden.sso.web.WardenPrincipals;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * SOC 2 report download: {@code GET /admin/api/reports/soc2?from=YYYY-MM-DD&to=YYYY-MM-DD&format=pdf|csv|json},
 * built from this replica's verified ledger; {@code &part=manifest} returns the signed manifest for the same inputs
 * (the report is deterministic, so both downloads describe the same bytes).
 */
@RestController
public class ReportsApi {
    private final LedgerRecorder ledger;
    private final AccessGuard guard;
    private final String retention;

    public ReportsApi(LedgerRecorder ledger, AccessGuard guard, WardenProperties properties) {
        this.ledger = ledger;
        this.guard = guard;
        this.retention = retentionStatement(properties.ledger().bodies());
    }

    /** What the report states about retention: the settings this gateway runs with, in words an auditor reads. */
    static String retentionStatement(WardenProperties.LedgerBodies bodies) {
        String kept = bodies.sealed()
                ? "request and response bodies kept in the ledger encrypted (AES-256-GCM) under a key per data subject"
                        + " and day"
                : "request and response bodies not kept (keyed digests only)";
        String period = bodies.retention().isZero() ? "sealed bodies readable until their subject is erased"
                : "sealed bodies unreadable after " + bodies.retention().toDays() + " days (day keys deleted hourly;"
                        + " each expiry recorded as an erasure entry)";
        return kept + "; " + period + "; ledger entries themselves kept without limit (hash chain)";
    }

    @GetMapping("/admin/api/reports/soc2")
    public ResponseEntity<byte[]> soc2(@RequestParam String from, @RequestParam String to,
                                       @RequestParam(defaultValue = "pdf") String format,
                                       @RequestParam(defaultValue = "report") String part,
                                       @RequestParam(required = false) @Nullable String org) throws IOException {
        guard.require(WardenPrincipals.require(), Permission.REPORTS_READ, null);
        LocalDate start;
        LocalDate end;
        try {
            start = LocalDate.parse(from);
            end = LocalDate.parse(to);
        } catch (DateTimeParseException e) {
            return error("from/to: expected dates as YYYY-MM-DD", "from");
        }
        if (!end.isAfter(start)) {
            return error("to: " + end + " must be after from: " + start, "to");
        }
        if (!"report".equals(part) && !"manifest".equals(part)) {
            return error("part \"" + abbreviated(part) + "\" (expected: report or manifest)", "part");
        }
        if (org != null && (org.isBlank() || org.length() > 200
                || AdminApi.hasControlCharacter(org))) {
            return error("org: expected the organisation's name, 1 to 200 printable characters", "org");
        }
        ReportRenderer renderer;
        try {
            renderer = ReportRenderer.forFormat(format);
        } catch (IllegalArgumentException e) {
            return error(e.getMessage(), "format");
        }
        ledger.ledger().checkpoint(); // the report covers everything recorded up to now, signed
        Soc2Report report = Soc2ReportBuilder.create().ledger(ledger.ledger().dir()).period(start, end)
                .settings(new ReportSettings(org == null ? "Warden" : org, retention,
                        "subject erasure by crypto-shredding (all of the subject's keys deleted, tombstone entry):"
                                + " POST /admin/api/erasures or the console"))
                .build();
        byte[] bytes = renderer.render(report);
        String name = "soc2-" + start + "-" + end + "." + renderer.format();
        if ("manifest".equals(part)) {
            Optional<SigningKey> key = ReportSigningKeys.demoKey(ledger.ledger().dir());
            if (key.isEmpty()) {
                return error("no signing key in the ledger directory; use `warden report soc2 --signing-key`", "part");
            }
            byte[] manifest = ReportManifest.create(report, renderer.format(), name, bytes, key.get());
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .header("content-disposition", "attachment; filename=\"" + name + ReportManifest.SUFFIX + "\"")
                    .body(manifest);
        }
        MediaType type = switch (renderer.format()) {
            case "pdf" -> MediaType.APPLICATION_PDF;
            case "csv" -> MediaType.parseMediaType("text/csv");
            default -> MediaType.APPLICATION_JSON;
        };
        return ResponseEntity.ok().contentType(type)
                .header("content-disposition", "attachment; filename=\"" + name + "\"")
                .header("x-warden-report-status", report.status().toString()).body(bytes);
    }

    private static ResponseEntity<byte[]> error(String message, String param) {
        return ResponseEntity.status(400).contentType(MediaType.APPLICATION_JSON)
                .body(ErrorBodies.bytes(Surface.Protocol.OPENAI, ErrorKind.INVALID_REQUEST, message, param));
    }

    /** Caller input fit to quote in an error: at most 40 characters, printable ASCII. */
    private static String abbreviated(String value) {
        String printable = value.chars().filter(c -> c >= 0x20 && c < 0x7f && c != '"')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
    }
}
