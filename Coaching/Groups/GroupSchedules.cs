namespace CoachBot.Coaching.Groups;

/// <summary>Working-day schedule arithmetic for the question of the day.</summary>
public static class GroupSchedules
{
    /// <summary>
    /// The first Monday-to-Friday moment at <paramref name="at"/> local time in <paramref name="zone"/> strictly after
    /// <paramref name="after"/>. A local time skipped by a daylight-saving change runs at the first valid minute after it.
    /// </summary>
    public static DateTimeOffset NextRun(TimeOnly at, TimeZoneInfo zone, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var localNow = TimeZoneInfo.ConvertTime(after, zone);
        for (var day = DateOnly.FromDateTime(localNow.DateTime); ; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            var local = day.ToDateTime(at);
            while (zone.IsInvalidTime(local))
            {
                local = local.AddMinutes(1);
            }

            var utc = new DateTimeOffset(local, zone.GetUtcOffset(local));
            if (utc > after)
            {
                return utc.ToUniversalTime();
            }
        }
    }
}
