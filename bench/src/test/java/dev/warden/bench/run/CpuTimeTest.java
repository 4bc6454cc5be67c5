package dev.warden.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuTimeTest {
    @Test
    void readsUserPlusSystemTicksEvenWhenTheCommandNameHoldsSpacesAndParentheses() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 9 0 0 0 1234 56 0 0 20 0 40 0 100 0 0";
        assertEquals(1290, CpuTime.parse(stat));
    }

    @Test
    void costPerRequestIsTheDifferenceOverTheRequests() {
        assertEquals("250", new CpuTime(150).microsPerRequest(new CpuTime(100), 2000)); // 50 ticks = 0.5 s / 2000
        assertEquals("n/a", new CpuTime(-1).microsPerRequest(new CpuTime(100), 2000));
        assertEquals("n/a", new CpuTime(150).microsPerRequest(new CpuTime(100), 0));
    }

    @Test
    void thisProcessHasUsedSomeCpu() {
        assertTrue(CpuTime.of(ProcessHandle.current().pid()).ticks() >= 0);
    }
}
