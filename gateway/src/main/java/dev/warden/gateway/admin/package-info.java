@NullMarked
package dev.warden.gateway.admin;

import org.jspecify.annotations.NullMarked;
