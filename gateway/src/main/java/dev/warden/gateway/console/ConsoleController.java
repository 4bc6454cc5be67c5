package dev.warden.gateway.console;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The console's entry page. {@code /console} redirects to {@code /console/} so that the page's relative links
 * ({@code console.css}, {@code js/app.js}, {@code ../admin/api/}) resolve the same way behind any path prefix; every
 * other console file is a static resource. Pages inside the console are hash routes ({@code #/keys}), so there is
 * exactly one HTML document.
 */
@Controller
public class ConsoleController {
    static final String INDEX = "static/console/index.html";

    private final byte[] index;

    public ConsoleController() {
        // Read once: the page is a few kilobytes and never changes while the gateway runs.
        try (InputStream in = new ClassPathResource(INDEX).getInputStream()) {
            this.index = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the console page " + INDEX + " is missing from the class path", e);
        }
    }

    @GetMapping("/console")
    public ResponseEntity<Void> redirect(HttpServletRequest request) {
        return ResponseEntity.status(302).location(URI.create(request.getContextPath() + "/console/")).build();
    }

    @GetMapping("/console/")
    public ResponseEntity<byte[]> index() {
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore()).body(index);
    }
}
