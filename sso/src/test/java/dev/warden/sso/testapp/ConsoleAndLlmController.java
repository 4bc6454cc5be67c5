package dev.warden.sso.testapp;

import dev.warden.sso.rbac.WardenPrincipal;
import dev.warden.sso.web.CurrentPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A console page, and an LLM endpoint standing in for the gateway's own (authenticated by virtual keys, not by us). */
@RestController
class ConsoleAndLlmController {

    @GetMapping("/console")
    String console(@CurrentPrincipal WardenPrincipal who) {
        return "console for " + who.subject();
    }

    @PostMapping("/v1/chat/completions")
    Map<String, Object> chat(@RequestBody Map<String, Object> body, HttpServletRequest request) {
        // Reports whether anything upstream created a session or set a principal: the security chain must not have.
        return Map.of("model", String.valueOf(body.get("model")),
                "session", request.getSession(false) != null,
                "principal", String.valueOf(request.getUserPrincipal()));
    }
}
