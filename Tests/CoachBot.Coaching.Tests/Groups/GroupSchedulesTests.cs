using CoachBot.Coaching.Groups;

namespace CoachBot.Coaching.Tests.Groups;

public sealed class GroupSchedulesTests
{
    private static readonly TimeOnly NineThirty = new(9, 30);

    [Fact]
    public void NextRun_BeforeTheTimeOnAWeekday_IsTheSameDay()
    {
        // Wednesday 2026-11-18, 08:00 UTC.
        var next = GroupSchedules.NextRun(NineThirty, TimeZoneInfo.Utc, new DateTimeOffset(2026, 11, 18, 8, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 11, 18, 9, 30, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public void NextRun_AfterTheTimeOnAFriday_IsMonday()
    {
        // Friday 2026-11-20, 10:00 UTC.
        var next = GroupSchedules.NextRun(NineThirty, TimeZoneInfo.Utc, new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public void NextRun_InAnotherTimeZone_IsThatZonesLocalTime()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        // Monday 2026-11-23 12:00 UTC is 07:00 in New York (EST, UTC-5).
        var next = GroupSchedules.NextRun(NineThirty, newYork, new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 14, 30, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public void NextRun_ExactlyAtTheTime_IsTheNextWorkingDay()
    {
        var next = GroupSchedules.NextRun(NineThirty, TimeZoneInfo.Utc, new DateTimeOffset(2026, 11, 18, 9, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 11, 19, 9, 30, 0, TimeSpan.Zero), next);
    }
}
