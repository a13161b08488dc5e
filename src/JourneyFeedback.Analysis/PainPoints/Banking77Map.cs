namespace JourneyFeedback.Analysis.PainPoints;

/// <summary>
/// Which BANKING77 intents add training examples to which pain-point category. Intents that fit
/// no category cleanly (lost/stolen card, terminate account, cancel transfer, ...) are left out.
/// Plain how-to questions become "none" examples, which teaches the model that a neutral
/// question about cards or top-ups is not a complaint.
/// </summary>
public static class Banking77Map
{
    public static IReadOnlyDictionary<string, string> IntentToCategory { get; } = Build();

    private static Dictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string category, params string[] intents)
        {
            foreach (var intent in intents)
            {
                map.Add(intent, category);
            }
        }

        Add("delivery-shipping", "card_arrival", "card_delivery_estimate");
        Add("price-fees-billing",
            "extra_charge_on_statement", "card_payment_fee_charged", "transfer_fee_charged",
            "top_up_by_bank_transfer_charge", "top_up_by_card_charge", "cash_withdrawal_charge", "exchange_charge",
            "card_payment_wrong_exchange_rate", "wrong_exchange_rate_for_cash_withdrawal", "transaction_charged_twice",
            "direct_debit_payment_not_recognised", "card_payment_not_recognised", "cash_withdrawal_not_recognised");
        Add("payment-checkout",
            "declined_card_payment", "declined_transfer", "failed_transfer", "top_up_failed", "pending_card_payment",
            "pending_transfer", "pending_top_up", "pending_cash_withdrawal", "declined_cash_withdrawal",
            "transfer_not_received_by_recipient", "beneficiary_not_allowed", "top_up_reverted", "reverted_card_payment?",
            "balance_not_updated_after_bank_transfer", "balance_not_updated_after_cheque_or_cash_deposit");
        Add("product-quality", "card_not_working", "contactless_not_working", "virtual_card_not_working");
        Add("account-login-verification",
            "unable_to_verify_identity", "why_verify_identity", "verify_my_identity", "passcode_forgotten",
            "pin_blocked", "verify_source_of_funds", "verify_top_up");
        Add("refunds-returns", "request_refund", "Refund_not_showing_up");
        Add(PainPointTaxonomy.None,
            "supported_cards_and_currencies", "fiat_currency_support", "country_support", "age_limit",
            "visa_or_mastercard", "getting_virtual_card", "get_physical_card", "order_physical_card",
            "getting_spare_card", "get_disposable_virtual_card", "disposable_card_limits", "top_up_limits",
            "receiving_money", "exchange_rate", "apple_pay_or_google_pay", "automatic_top_up", "atm_support",
            "topping_up_by_card", "top_up_by_cash_or_cheque", "transfer_into_account", "card_acceptance",
            "activate_my_card", "change_pin", "edit_personal_details", "card_linking", "exchange_via_app",
            "card_about_to_expire", "transfer_timing");
        return map;
    }
}
