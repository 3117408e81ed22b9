using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookStudio.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ItemChangeCause : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Actor",
                table: "ItemChanges",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DeliveryId",
                table: "ItemChanges",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Actor",
                table: "ItemChanges");

            migrationBuilder.DropColumn(
                name: "DeliveryId",
                table: "ItemChanges");
        }
    }
}
