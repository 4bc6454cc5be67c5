/**
 * Local backends: environment variables ({@code env://NAME}) and files ({@code file:///path}).
 */
@NullMarked
package dev.warden.secrets.local;

import org.jspecify.annotations.NullMarked;
