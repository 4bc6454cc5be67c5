/**
 * The admin console at {@code /console}: a small static front end (plain HTML, CSS and ES modules under
 * {@code classpath:/static/console/}, no framework, no build step) that talks only to the JSON admin API. This
 * package serves its entry page and puts a strict Content-Security-Policy on every console response. Sign-in and
 * session checks are the SSO module's ({@code /console/**} needs a console session).
 */
@NullMarked
package dev.warden.gateway.console;

import org.jspecify.annotations.NullMarked;
