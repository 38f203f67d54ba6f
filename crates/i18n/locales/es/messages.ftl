# Correos electrónicos y mensajes de texto, en el idioma de la cuenta. Un código es el
# único secreto que puede llevar un mensaje.

email-confirmation-subject = Confirme su correo electrónico para Secure Access
email-confirmation-body = Su código de confirmación de Secure Access es { $code }.

    Escríbalo en la página "Confirme su correo electrónico". Vence en { $hours ->
        [one] 1 hora
       *[other] { $hours } horas
    } y funciona una sola vez.

    Si usted no creó una cuenta, puede ignorar este correo.
sms-code = Secure Access: su código es { $code }. Vence en { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    }. No se lo dé a nadie.
