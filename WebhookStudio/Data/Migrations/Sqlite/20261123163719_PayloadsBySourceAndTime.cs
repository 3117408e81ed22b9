using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookStudio.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PayloadsBySourceAndTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Payloads_SourceId_ReceivedAt",
                table: "Payloads",
                columns: new[] { "SourceId", "ReceivedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Payloads_SourceId_ReceivedAt",
                table: "Payloads");
        }
    }
}
