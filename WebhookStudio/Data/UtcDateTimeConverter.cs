using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WebhookStudio.Data;

/// <summary>Every stored time is UTC: local times are converted, unmarked ones are taken as UTC (Npgsql refuses unmarked ones for timestamptz).</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    toStore => toStore.Kind == DateTimeKind.Local ? toStore.ToUniversalTime() : DateTime.SpecifyKind(toStore, DateTimeKind.Utc),
    fromStore => DateTime.SpecifyKind(fromStore, DateTimeKind.Utc));
